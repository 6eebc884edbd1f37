import RecurRuntime

/// What a `recur_model *` points to: the model and the C strings it hands out.
final class CModel {
    let model: Model
    /// name, then one per label, per vocabulary token, per layer kind.
    let name = CStrings()
    let labels = CStrings()
    let tokens = CStrings()
    let layerKinds = CStrings()

    init(_ model: Model) {
        self.model = model
        name.add(model.name)
        for label in model.frames?.labels ?? [] { labels.add(label) }
        for token in model.language?.vocabulary ?? [] { tokens.add(token) }
        for layer in model.layers { layerKinds.add(layer.kind.name) }
    }

    static func from(_ pointer: OpaquePointer?) -> CModel? {
        guard let pointer else { return nil }
        return Unmanaged<CModel>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
    }
}

/// Hands a new model to the caller, or reports why there is none.
private func open(
    _ make: () throws(RecurError) -> Model, _ out: UnsafeMutablePointer<OpaquePointer?>?,
    _ message: UnsafeMutablePointer<CChar>?, _ capacity: Int
) -> Int32 {
    guard let out else { return invalidArgument("recur_model_open: model is NULL", message, capacity) }
    out.pointee = nil
    do {
        let box = CModel(try make())
        out.pointee = OpaquePointer(Unmanaged.passRetained(box).toOpaque())
        writeMessage("", message, capacity)
        return CStatus.ok.rawValue
    } catch {
        return fail(error, message, capacity)
    }
}

@_cdecl("recur_version")
public func recur_version() -> UnsafePointer<CChar> {
    UnsafeRawPointer(RecurVersion.string.utf8Start).assumingMemoryBound(to: CChar.self)
}

@_cdecl("recur_model_open")
public func recur_model_open(
    _ path: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?,
    _ message: UnsafeMutablePointer<CChar>?, _ capacity: Int
) -> Int32 {
    guard let path else {
        out?.pointee = nil
        return invalidArgument("recur_model_open: path is NULL", message, capacity)
    }
    let file = String(cString: path)
    return open({ () throws(RecurError) -> Model in try Model(contentsOf: file) }, out, message, capacity)
}

@_cdecl("recur_model_open_bytes")
public func recur_model_open_bytes(
    _ bytes: UnsafeRawPointer?, _ count: Int, _ out: UnsafeMutablePointer<OpaquePointer?>?,
    _ message: UnsafeMutablePointer<CChar>?, _ capacity: Int
) -> Int32 {
    guard let bytes, count >= 0 else {
        out?.pointee = nil
        return invalidArgument("recur_model_open_bytes: bytes is NULL", message, capacity)
    }
    return open({ () throws(RecurError) -> Model in
        try Model(file: try Rnnz.decode(UnsafeRawBufferPointer(start: bytes, count: count)))
    }, out, message, capacity)
}

@_cdecl("recur_model_free")
public func recur_model_free(_ model: OpaquePointer?) {
    guard let model else { return }
    Unmanaged<CModel>.fromOpaque(UnsafeRawPointer(model)).release()
}

@_cdecl("recur_model_task")
public func recur_model_task(_ model: OpaquePointer?) -> Int32 {
    guard let box = CModel.from(model) else { return -1 }
    switch box.model.task {
    case .classifier: return 0
    case .regressor: return 1
    case .lm: return 2
    case .seq2seq: return 3
    case .textClassifier: return 4
    case .memoryQA: return 5
    case .imageToText: return 6
    }
}

@_cdecl("recur_model_name")
public func recur_model_name(_ model: OpaquePointer?) -> UnsafePointer<CChar>? {
    CModel.from(model)?.name[0]
}

@_cdecl("recur_model_frame_size")
public func recur_model_frame_size(_ model: OpaquePointer?) -> Int {
    CModel.from(model)?.model.frames?.rawInputSize ?? 0
}

@_cdecl("recur_model_output_size")
public func recur_model_output_size(_ model: OpaquePointer?) -> Int {
    guard let model = CModel.from(model)?.model else { return 0 }
    return model.frames?.outputSize ?? model.language?.vocabulary.count ?? model.seq2seq?.targetVocabulary.count ?? 0
}

@_cdecl("recur_model_window")
public func recur_model_window(_ model: OpaquePointer?) -> Int {
    CModel.from(model)?.model.frames?.window ?? 0
}

@_cdecl("recur_model_hop")
public func recur_model_hop(_ model: OpaquePointer?) -> Int {
    CModel.from(model)?.model.frames?.hop ?? 0
}

@_cdecl("recur_model_label")
public func recur_model_label(_ model: OpaquePointer?, _ index: Int) -> UnsafePointer<CChar>? {
    CModel.from(model)?.labels[index]
}

@_cdecl("recur_model_token")
public func recur_model_token(_ model: OpaquePointer?, _ id: Int) -> UnsafePointer<CChar>? {
    CModel.from(model)?.tokens[id]
}

@_cdecl("recur_model_encode")
public func recur_model_encode(
    _ model: OpaquePointer?, _ text: UnsafePointer<CChar>?, _ ids: UnsafeMutablePointer<Int32>?, _ idCapacity: Int,
    _ count: UnsafeMutablePointer<Int>?, _ message: UnsafeMutablePointer<CChar>?, _ capacity: Int
) -> Int32 {
    guard let box = CModel.from(model), let text, let count else {
        return invalidArgument("recur_model_encode: model, text or count is NULL", message, capacity)
    }
    guard let tokenizer = box.model.language?.tokenizer else {
        return fail(.wrongTask(expected: "lm", found: box.model.task.rawValue), message, capacity)
    }
    var tokens: [Int32] = []
    tokenizer.encode(String(cString: text), into: &tokens)
    count.pointee = tokens.count
    guard tokens.count <= idCapacity, tokens.isEmpty || ids != nil else {
        return invalidArgument("recur_model_encode: \(tokens.count) ids do not fit in \(idCapacity)", message, capacity)
    }
    for (i, token) in tokens.enumerated() { ids![i] = token }
    writeMessage("", message, capacity)
    return CStatus.ok.rawValue
}

@_cdecl("recur_model_layer_count")
public func recur_model_layer_count(_ model: OpaquePointer?) -> Int {
    CModel.from(model)?.model.layers.count ?? 0
}

@_cdecl("recur_model_layer_kind")
public func recur_model_layer_kind(_ model: OpaquePointer?, _ index: Int) -> UnsafePointer<CChar>? {
    CModel.from(model)?.layerKinds[index]
}

@_cdecl("recur_model_layer_input")
public func recur_model_layer_input(_ model: OpaquePointer?, _ index: Int) -> Int {
    guard let layers = CModel.from(model)?.model.layers, index >= 0, index < layers.count else { return 0 }
    return layers[index].input
}

@_cdecl("recur_model_layer_output")
public func recur_model_layer_output(_ model: OpaquePointer?, _ index: Int) -> Int {
    guard let layers = CModel.from(model)?.model.layers, index >= 0, index < layers.count else { return 0 }
    return layers[index].output
}

@_cdecl("recur_model_verify")
public func recur_model_verify(
    _ model: OpaquePointer?, _ message: UnsafeMutablePointer<CChar>?, _ capacity: Int
) -> Int32 {
    guard let box = CModel.from(model) else { return invalidArgument("recur_model_verify: model is NULL", message, capacity) }
    do {
        let report = try box.model.verifySelfTests()
        writeMessage("\(report.cases) self-test case(s), \(report.values) values, bit-identical (\(report.kernelName))", message, capacity)
        return CStatus.ok.rawValue
    } catch {
        return fail(error, message, capacity)
    }
}
