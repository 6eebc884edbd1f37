import RecurRuntime

/// What a `recur_session *` points to: the session and its last result.
final class CSession {
    let session: Session
    var result: UnsafeBufferPointer<Float>?
    var label = -1
    var sampleIndex = -1
    var fed = false

    init(_ session: Session) {
        self.session = session
    }

    static func from(_ pointer: OpaquePointer?) -> CSession? {
        guard let pointer else { return nil }
        return Unmanaged<CSession>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
    }
}

@_cdecl("recur_session_create")
public func recur_session_create(
    _ model: OpaquePointer?, _ window: Int, _ hop: Int, _ out: UnsafeMutablePointer<OpaquePointer?>?,
    _ message: UnsafeMutablePointer<CChar>?, _ capacity: Int
) -> Int32 {
    guard let out else { return invalidArgument("recur_session_create: session is NULL", message, capacity) }
    out.pointee = nil
    guard let box = CModel.from(model) else { return invalidArgument("recur_session_create: model is NULL", message, capacity) }
    do {
        let session = try box.model.makeSession(window: window < 0 ? nil : window, hop: hop < 0 ? nil : hop)
        out.pointee = OpaquePointer(Unmanaged.passRetained(CSession(session)).toOpaque())
        writeMessage("", message, capacity)
        return CStatus.ok.rawValue
    } catch {
        return fail(error, message, capacity)
    }
}

@_cdecl("recur_session_free")
public func recur_session_free(_ session: OpaquePointer?) {
    guard let session else { return }
    Unmanaged<CSession>.fromOpaque(UnsafeRawPointer(session)).release()
}

@_cdecl("recur_session_reset")
public func recur_session_reset(_ session: OpaquePointer?) {
    guard let box = CSession.from(session) else { return }
    box.session.reset()
    box.result = nil
    box.label = -1
    box.sampleIndex = -1
    box.fed = false
}

@_cdecl("recur_session_step")
public func recur_session_step(
    _ session: OpaquePointer?, _ frame: UnsafePointer<Float>?, _ count: Int, _ hasResult: UnsafeMutablePointer<Int32>?,
    _ message: UnsafeMutablePointer<CChar>?, _ capacity: Int
) -> Int32 {
    hasResult?.pointee = 0
    guard let box = CSession.from(session), let frame, count >= 0 else {
        return invalidArgument("recur_session_step: session or frame is NULL", message, capacity)
    }
    do {
        guard let result = try box.session.stepRaw(UnsafeBufferPointer(start: frame, count: count)) else {
            writeMessage("", message, capacity)
            return CStatus.ok.rawValue
        }
        box.result = result.outputs
        box.label = result.label ?? -1
        box.sampleIndex = result.sampleIndex
        hasResult?.pointee = 1
        writeMessage("", message, capacity)
        return CStatus.ok.rawValue
    } catch {
        return fail(error, message, capacity)
    }
}

@_cdecl("recur_session_result")
public func recur_session_result(_ session: OpaquePointer?, _ count: UnsafeMutablePointer<Int>?) -> UnsafePointer<Float>? {
    let result = CSession.from(session)?.result
    count?.pointee = result?.count ?? 0
    return result?.baseAddress
}

@_cdecl("recur_session_label")
public func recur_session_label(_ session: OpaquePointer?) -> Int {
    CSession.from(session)?.label ?? -1
}

@_cdecl("recur_session_sample_index")
public func recur_session_sample_index(_ session: OpaquePointer?) -> Int {
    CSession.from(session)?.sampleIndex ?? -1
}

@_cdecl("recur_session_feed")
public func recur_session_feed(
    _ session: OpaquePointer?, _ token: Int32, _ message: UnsafeMutablePointer<CChar>?, _ capacity: Int
) -> Int32 {
    guard let box = CSession.from(session) else { return invalidArgument("recur_session_feed: session is NULL", message, capacity) }
    do {
        try box.session.feed(Int(token))
        box.fed = true
        writeMessage("", message, capacity)
        return CStatus.ok.rawValue
    } catch {
        return fail(error, message, capacity)
    }
}

@_cdecl("recur_session_probabilities")
public func recur_session_probabilities(
    _ session: OpaquePointer?, _ temperature: Float, _ out: UnsafeMutablePointer<Float>?, _ outCapacity: Int,
    _ message: UnsafeMutablePointer<CChar>?, _ capacity: Int
) -> Int32 {
    guard let box = CSession.from(session), let out else {
        return invalidArgument("recur_session_probabilities: session or out is NULL", message, capacity)
    }
    let model = box.session.model
    guard model.task == .lm else { return fail(.wrongTask(expected: "lm", found: model.task.rawValue), message, capacity) }
    guard box.fed else { return invalidArgument("recur_session_probabilities: no token fed yet", message, capacity) }
    guard outCapacity >= model.outputSize else {
        return invalidArgument("recur_session_probabilities: \(model.outputSize) values do not fit in \(outCapacity)", message, capacity)
    }
    let probabilities = box.session.probabilities(temperature: temperature)
    for i in 0..<probabilities.count { out[i] = probabilities[i] }
    writeMessage("", message, capacity)
    return CStatus.ok.rawValue
}

@_cdecl("recur_session_greedy")
public func recur_session_greedy(_ session: OpaquePointer?) -> Int {
    guard let box = CSession.from(session), box.fed, box.session.model.task == .lm else { return -1 }
    return box.session.greedy()
}
