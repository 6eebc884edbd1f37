import RecurRuntime

extension ExportModel {
    /// The file form of a trained `SequenceModel`: layers and tensors in FORMAT.md order,
    /// with the task keys given by the caller (input description, windowing, vocabulary…).
    public init(name: String, model: SequenceModel, taskKeys: [(String, GGUFValue)]) {
        let spec = model.spec
        let byName = Dictionary(model.parameters.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        func tensor(_ name: String, vector: Bool = false) -> Tensor {
            guard let p = byName[name] else { preconditionFailure("the trainer model has no parameter \(name)") }
            return Tensor(name: name, rows: p.rows, cols: p.cols, values: p.value, isVector: vector)
        }
        var layers: [Layer] = []
        var width = spec.firstLayerInput
        if case .tokens(let vocabulary, let embedding) = spec.input {
            layers.append(Layer(type: "embedding", input: vocabulary, output: embedding, tensors: [tensor("enc.0.weight")]))
        }
        for (k, layer) in spec.layers.enumerated() {
            let i = spec.recurrentIndex(k)
            let (type, activation): (String, String?) = switch layer.cell {
            case .lstm: ("lstm", nil)
            case .gru: ("gru", nil)
            case .rnnTanh: ("rnn", "tanh")
            case .rnnRelu: ("rnn", "relu")
            }
            let directions = layer.isBidirectional ? ["", "_reverse"] : [""]
            let tensors = directions.flatMap { suffix in
                [tensor("enc.\(i).weight_ih\(suffix)"), tensor("enc.\(i).weight_hh\(suffix)"),
                 tensor("enc.\(i).bias_ih\(suffix)", vector: true), tensor("enc.\(i).bias_hh\(suffix)", vector: true)]
            }
            layers.append(Layer(type: type, input: width, hidden: layer.hidden, output: layer.outputWidth, activation: activation,
                                bidirectional: layer.isBidirectional, tensors: tensors))
            width = layer.outputWidth
        }
        let head = spec.headIndex
        let readsTokens = if case .tokens = spec.input { true } else { false }
        let (task, activation): (String, String) = switch spec.output {
        case .classifier: (readsTokens ? "text_classifier" : "classifier", "softmax")
        case .regressor: ("regressor", "none")
        case .lm: ("lm", "none")
        }
        layers.append(Layer(type: "dense", input: width, output: spec.output.size, activation: activation,
                            tensors: [tensor("enc.\(head).weight"), tensor("enc.\(head).bias", vector: true)]))
        self.init(name: name, task: task, taskKeys: taskKeys, layers: layers)
    }
}
