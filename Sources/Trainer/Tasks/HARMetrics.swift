/// Accuracy, per-class precision/recall/F1 and the confusion matrix of a classifier's
/// predictions on labelled windows.
///
/// With `n_ij` the windows of true class i predicted as class j:
///
///     accuracy    = Σ_i n_ii / Σ_ij n_ij
///     precision_k = n_kk / Σ_i n_ik        (0 when nothing was predicted k)
///     recall_k    = n_kk / Σ_j n_kj        (0 when class k has no windows)
///     F1_k        = 2·P·R / (P + R)        (0 when P + R = 0)
public struct HARMetrics: Sendable, Equatable {
    /// Class names, in class order.
    public let classNames: [String]
    /// `[true class][predicted class]` window counts.
    public let confusion: [[Int]]

    /// Counts predictions against the truth.
    ///
    /// - Parameters:
    ///   - predicted: predicted class per window.
    ///   - actual: true class per window, same count.
    ///   - classNames: one name per class; every id must index into it.
    public init(predicted: [Int], actual: [Int], classNames: [String]) {
        precondition(predicted.count == actual.count, "one prediction per window")
        let classes = classNames.count
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
        for (p, a) in zip(predicted, actual) {
            precondition((0..<classes).contains(p) && (0..<classes).contains(a), "class id out of range")
            confusion[a][p] += 1
        }
        self.classNames = classNames
        self.confusion = confusion
    }

    /// Number of windows.
    public var total: Int { confusion.reduce(0) { $0 + $1.reduce(0, +) } }

    /// Windows on the diagonal.
    public var correct: Int { confusion.indices.reduce(0) { $0 + confusion[$1][$1] } }

    /// Σ n_ii / Σ n_ij (0 for no windows).
    public var accuracy: Double { total > 0 ? Double(correct) / Double(total) : 0 }

    /// Windows of each true class (row sums).
    public var support: [Int] { confusion.map { $0.reduce(0, +) } }

    /// n_kk / Σ_i n_ik per class.
    public var precision: [Double] {
        confusion.indices.map { k in
            let predictedK = confusion.reduce(0) { $0 + $1[k] }
            return predictedK > 0 ? Double(confusion[k][k]) / Double(predictedK) : 0
        }
    }

    /// n_kk / Σ_j n_kj per class.
    public var recall: [Double] {
        confusion.indices.map { k in
            let actualK = support[k]
            return actualK > 0 ? Double(confusion[k][k]) / Double(actualK) : 0
        }
    }

    /// 2·P·R / (P + R) per class.
    public var f1: [Double] {
        zip(precision, recall).map { p, r in p + r > 0 ? 2 * p * r / (p + r) : 0 }
    }

    /// Unweighted mean of the per-class F1 (classes with windows only).
    public var macroF1: Double {
        let present = confusion.indices.filter { support[$0] > 0 }
        guard !present.isEmpty else { return 0 }
        return present.reduce(0) { $0 + f1[$1] } / Double(present.count)
    }

    /// A plain-text report: accuracy, a per-class table and the confusion matrix.
    public func report(title: String) -> String {
        func percent(_ value: Double) -> String { fixed(value * 100, digits: 2) }
        let nameWidth = max(classNames.map(\.count).max() ?? 0, 5)
        var lines: [String] = []
        lines.append("\(title): accuracy \(percent(accuracy))% (\(correct)/\(total)), macro F1 \(percent(macroF1))%")
        lines.append(pad("class", nameWidth) + "  precision  recall      F1  support")
        for k in classNames.indices {
            lines.append(pad(classNames[k], nameWidth)
                + "  " + leftPad(percent(precision[k]), 9) + leftPad(percent(recall[k]), 8)
                + leftPad(percent(f1[k]), 8) + leftPad(String(support[k]), 9))
        }
        lines.append("confusion matrix (rows: true class, columns: predicted, in class order)")
        let cellWidth = max(String(confusion.flatMap { $0 }.max() ?? 0).count, String(classNames.count).count) + 1
        lines.append(pad("", nameWidth) + classNames.indices.map { leftPad(String($0 + 1), cellWidth) }.joined())
        for k in classNames.indices {
            lines.append(pad(classNames[k], nameWidth) + confusion[k].map { leftPad(String($0), cellWidth) }.joined())
        }
        return lines.joined(separator: "\n")
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    private func leftPad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    /// `value` rounded to `digits` decimals, without Foundation's formatter.
    private func fixed(_ value: Double, digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int((value * scale).rounded())
        let whole = scaled / Int(scale)
        let fraction = String(abs(scaled) % Int(scale))
        return "\(whole)." + String(repeating: "0", count: digits - fraction.count) + fraction
    }
}
