/// The modules of a PyTorch state dict saved as safetensors, each checked against the
/// shapes its kind requires; every tensor is placed in exactly one module or refused by name.
public struct TorchStateDict: Sendable {
    /// The modules, by name.
    public let modules: [String: TorchModule]
    public let file: SafetensorsFile

    /// Groups `file`'s tensors into modules (the name up to the last dot) and checks them.
    ///
    /// - Throws: `ImportError` naming the first tensor that fits no supported module.
    public init(file: SafetensorsFile) throws(ImportError) {
        self.file = file
        var parameters: [String: [String: SafetensorsFile.Tensor]] = [:]
        for tensor in file.tensors {
            let (module, parameter) = Self.split(tensor.name)
            parameters[module, default: [:]][parameter] = tensor
        }
        var modules: [String: TorchModule] = [:]
        for (name, tensors) in parameters {
            modules[name] = try Self.module(name, tensors)
        }
        self.modules = modules
    }

    /// `a.b.weight` → (`a.b`, `weight`); `weight` → (``, `weight`).
    static func split(_ name: String) -> (module: String, parameter: String) {
        guard let dot = name.lastIndex(of: ".") else { return ("", name) }
        return (String(name[..<dot]), String(name[name.index(after: dot)...]))
    }

    /// The module `name` holding `tensors` (parameter name → tensor).
    private static func module(_ name: String, _ tensors: [String: SafetensorsFile.Tensor]) throws(ImportError) -> TorchModule {
        let full = { (parameter: String) in name.isEmpty ? parameter : name + "." + parameter }
        if tensors.keys.contains(where: { $0.hasPrefix("weight_ih_l") || $0.hasPrefix("weight_hh_l") || $0.hasPrefix("bias_ih_l") || $0.hasPrefix("bias_hh_l") || $0.hasPrefix("weight_hr_l") }) {
            return try recurrent(name, tensors, full: full)
        }
        for parameter in tensors.keys.sorted() where parameter != "weight" && parameter != "bias" {
            throw .unplaceable(tensor: full(parameter), "not a parameter of nn.LSTM, nn.GRU, nn.RNN, nn.Linear or nn.Embedding")
        }
        guard let weight = tensors["weight"] else {
            throw .missingTensor(full("weight"), "\(full("bias")) has no weight beside it")
        }
        guard weight.shape.count == 2, weight.shape[0] > 0, weight.shape[1] > 0 else {
            throw .badShape(tensor: weight.name, expected: "2-D (nn.Linear: out × in, nn.Embedding: vocabulary × dim)", found: weight.shape)
        }
        guard let bias = tensors["bias"] else {
            return TorchModule(name: name, kind: .weightOnly(rows: weight.shape[0], cols: weight.shape[1]))
        }
        guard bias.shape == [weight.shape[0]] else {
            throw .badShape(tensor: bias.name, expected: "[\(weight.shape[0])] (one per row of \(weight.name))", found: bias.shape)
        }
        return TorchModule(name: name, kind: .linear(outputs: weight.shape[0], inputs: weight.shape[1]))
    }

    /// A recurrent module: layers 0..<L, each with both weights and both biases.
    private static func recurrent(_ name: String, _ tensors: [String: SafetensorsFile.Tensor],
                                  full: (String) -> String) throws(ImportError) -> TorchModule {
        var count = 0
        for parameter in tensors.keys.sorted() {
            if parameter.hasPrefix("weight_hr_l") {
                throw .unsupported(tensor: full(parameter), "an LSTM with proj_size; Recur's LSTM has no projection")
            }
            if parameter.hasSuffix("_reverse") {
                throw .unsupported(tensor: full(parameter),
                                   "a bidirectional layer; the board runtime steps forwards in time only (bidirectional=False)")
            }
            let prefixes = ["weight_ih_l", "weight_hh_l", "bias_ih_l", "bias_hh_l"]
            guard let prefix = prefixes.first(where: parameter.hasPrefix),
                  let layer = Int(parameter.dropFirst(prefix.count)), layer >= 0, layer < 64 else {
                throw .unplaceable(tensor: full(parameter), "not a parameter of nn.LSTM, nn.GRU or nn.RNN")
            }
            count = max(count, layer + 1)
        }
        var layers: [TorchModule.RecurrentLayer] = []
        var gates = 0
        for k in 0..<count {
            guard let weightHH = tensors["weight_hh_l\(k)"] else { throw .missingTensor(full("weight_hh_l\(k)"), "layer \(k) of \(name) has no recurrent weight") }
            guard let weightIH = tensors["weight_ih_l\(k)"] else { throw .missingTensor(full("weight_ih_l\(k)"), "layer \(k) of \(name) has no input weight") }
            guard weightHH.shape.count == 2, weightHH.shape[1] > 0, weightHH.shape[0] % weightHH.shape[1] == 0,
                  [1, 3, 4].contains(weightHH.shape[0] / weightHH.shape[1]) else {
                throw .badShape(tensor: weightHH.name, expected: "[G·H, H] with G = 4 (LSTM), 3 (GRU) or 1 (RNN)", found: weightHH.shape)
            }
            let hidden = weightHH.shape[1]
            let layerGates = weightHH.shape[0] / hidden
            if k > 0 && layerGates != gates {
                throw .badShape(tensor: weightHH.name, expected: "[\(gates * hidden), \(hidden)] like layer 0", found: weightHH.shape)
            }
            gates = layerGates
            guard weightIH.shape.count == 2, weightIH.shape[0] == gates * hidden, weightIH.shape[1] > 0 else {
                throw .badShape(tensor: weightIH.name, expected: "[\(gates * hidden), input]", found: weightIH.shape)
            }
            if k > 0 && weightIH.shape[1] != layers[k - 1].hidden {
                throw .badShape(tensor: weightIH.name, expected: "[\(gates * hidden), \(layers[k - 1].hidden)] (layer \(k - 1)'s hidden size)", found: weightIH.shape)
            }
            for bias in ["bias_ih_l\(k)", "bias_hh_l\(k)"] {
                guard let tensor = tensors[bias] else {
                    throw .missingTensor(full(bias), "Recur's cells need both biases (bias=True in PyTorch)")
                }
                guard tensor.shape == [gates * hidden] else {
                    throw .badShape(tensor: tensor.name, expected: "[\(gates * hidden)]", found: tensor.shape)
                }
            }
            layers.append(TorchModule.RecurrentLayer(input: weightIH.shape[1], hidden: hidden))
        }
        return TorchModule(name: name, kind: .recurrent(gates: gates, layers: layers))
    }
}
