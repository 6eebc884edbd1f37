import RecurRuntime

/// What a `recur_session *` points to: the model's session (a frame or a language session,
/// chosen once by the model's task) and its last result.
final class CSession {
    enum Kind {
        case frames(FrameSession)
        case language(LanguageSession)
    }
    let kind: Kind
    var result: UnsafeBufferPointer<Float>?
    var label = -1
    var sampleIndex = -1
    var fed = false

    init(_ kind: Kind) {
        self.kind = kind
    }

    /// The session of a language model, or nil.
    var language: LanguageSession? {
        guard case .language(let session) = kind else { return nil }
        return session
    }

    /// The model's task, for a wrong-task message.
    var taskName: String {
        switch kind {
        case .frames(let session): return session.model.task.rawValue
        case .language(let session): return session.model.task.rawValue
        }
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
        let kind: CSession.Kind
        if box.model.task == .lm {
            // Window and hop are frame settings; an lm's session ignores them.
            kind = .language(try box.model.makeLanguageSession())
        } else {
            kind = .frames(try box.model.makeFrameSession(window: window < 0 ? nil : window, hop: hop < 0 ? nil : hop))
        }
        out.pointee = OpaquePointer(Unmanaged.passRetained(CSession(kind)).toOpaque())
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
    switch box.kind {
    case .frames(let session): session.reset()
    case .language(let session): session.reset()
    }
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
    guard case .frames(let frames) = box.kind else {
        return fail(.wrongTask(expected: "classifier or regressor", found: box.taskName), message, capacity)
    }
    do {
        guard let result = try frames.stepRaw(UnsafeBufferPointer(start: frame, count: count)) else {
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
    guard let language = box.language else {
        return fail(.wrongTask(expected: "lm", found: box.taskName), message, capacity)
    }
    do {
        try language.feed(Int(token))
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
    guard let language = box.language else {
        return fail(.wrongTask(expected: "lm", found: box.taskName), message, capacity)
    }
    guard box.fed else { return invalidArgument("recur_session_probabilities: no token fed yet", message, capacity) }
    guard outCapacity >= language.vocabularySize else {
        return invalidArgument(
            "recur_session_probabilities: \(language.vocabularySize) values do not fit in \(outCapacity)", message, capacity)
    }
    let probabilities = language.probabilities(temperature: temperature)
    for i in 0..<probabilities.count { out[i] = probabilities[i] }
    writeMessage("", message, capacity)
    return CStatus.ok.rawValue
}

@_cdecl("recur_session_greedy")
public func recur_session_greedy(_ session: OpaquePointer?) -> Int {
    guard let box = CSession.from(session), box.fed, let language = box.language else { return -1 }
    return language.greedy()
}
