import Foundation

/// Turns the training loop's events into progress-bar calls.
final class ProgressObserver {
    let progress: Progress
    let metricName: String
    /// Show the validation loss also as bits per token (lm).
    let bitsPerToken: Bool
    private var epochs = 0
    private var currentEpoch = -1
    private(set) var epochsRun = 0

    init(progress: Progress, metricName: String, bitsPerToken: Bool) {
        self.progress = progress
        self.metricName = metricName
        self.bitsPerToken = bitsPerToken
    }

    func handle(_ event: TrainingEvent) {
        switch event {
        case .started(let epochs, _, let samples, _):
            self.epochs = epochs
            progress.message("training on \(samples) \(bitsPerToken ? "characters" : "sequences") per epoch, \(epochs) epochs")
        case .batch(let b):
            if b.epoch != currentEpoch {
                currentEpoch = b.epoch
                progress.beginEpoch(b.epoch + 1, of: epochs, batches: b.batches)
            }
            progress.batchDone(b.batch + 1, samples: 0, loss: b.loss, metric: (metricName, b.metric),
                               rate: b.samplesPerSecond, eta: b.etaSeconds)
        case .epoch(let s):
            epochsRun += 1
            var text = "loss \(Format.fixed(s.trainLoss))"
            if let loss = s.validationLoss {
                text += "  val_loss \(Format.fixed(loss))"
                if bitsPerToken { text += "  val_bits/char \(Format.fixed(loss / M_LN2))" }
            }
            if let metric = s.validationMetric { text += "  val_\(metricName) \(Format.fixed(metric))" }
            if s.improved { text += "  *" }
            progress.endEpoch(summary: text)
        case .stoppedEarly(let epoch, let best):
            progress.message("stopped early after epoch \(epoch + 1); keeping epoch \(best + 1)")
        case .finished:
            break
        }
    }
}
