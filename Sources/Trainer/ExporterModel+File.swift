import RecurRuntime

extension ExportModel {
    /// Keys the exporter writes itself; every other key of a file is carried over as a task key.
    static let structuralKeyPrefixes = ["general.", "recur.enc.", "recur.dec.", "recur.selftest."]
    static let structuralKeys: Set<String> = ["recur.format_version", "recur.task"]

    /// The model an unquantized `.rnnz` holds, and its self-test inputs, for re-quantization
    /// (`recur quantize`): the quantized file embeds the same cases with outputs recomputed.
    ///
    /// - Throws: `ExportError.notF32` for an int8 weight (quantizing twice would compound the
    ///   error), `RecurError` for a missing key or tensor.
    public static func read(file: GGUFFile, path: String) throws -> (model: ExportModel, selfTestInputs: [SelfTestInput]) {
        var taskKeys: [(String, GGUFValue)] = []
        for key in file.keys where !structuralKeys.contains(key) && !structuralKeyPrefixes.contains(where: key.hasPrefix) {
            if let value = file.value(key) { taskKeys.append((key, value)) }
        }
        var layers: [Layer] = []
        let count = Int(try file.uint32("recur.enc.count"))
        for i in 0..<count {
            let type = try file.string("recur.enc.\(i).type")
            let bidirectional = try file.optionalBool("recur.enc.\(i).bidirectional") ?? false
            let recurrent = ["enc.\(i).weight_ih", "enc.\(i).weight_hh", "enc.\(i).bias_ih", "enc.\(i).bias_hh"]
            let names: [String] = switch type {
            case "embedding": ["enc.\(i).weight"]
            case "dense": ["enc.\(i).weight", "enc.\(i).bias"]
            default: recurrent + (bidirectional ? recurrent.map { $0 + "_reverse" } : [])
            }
            var tensors: [Tensor] = []
            for name in names {
                let info = try file.tensor(name)
                if info.type != .f32 && info.type != .f16 {
                    throw ExportError.notF32(path: path, tensor: name, type: info.type.name)
                }
                tensors.append(Tensor(name: name, rows: info.rows, cols: info.cols, values: try file.floats(of: info),
                                      isVector: info.dims.count == 1))
            }
            layers.append(Layer(type: type, input: Int(try file.uint32("recur.enc.\(i).input")),
                                hidden: try file.optionalUInt32("recur.enc.\(i).hidden").map(Int.init),
                                output: Int(try file.uint32("recur.enc.\(i).output")),
                                activation: try file.optionalString("recur.enc.\(i).activation"),
                                bidirectional: bidirectional, tensors: tensors))
        }
        var inputs: [SelfTestInput] = []
        for k in 0..<Int(try file.optionalUInt32("recur.selftest.count") ?? 0) {
            let info = try file.tensor("selftest.\(k).input")
            inputs.append(info.type == .i32 ? .tokens(try file.int32s(of: info)) : .frames(try file.floats(of: info)))
        }
        let model = ExportModel(name: try file.optionalString("general.name") ?? "", task: try file.string("recur.task"),
                                taskKeys: taskKeys, layers: layers)
        return (model, inputs)
    }
}
