import Foundation

/// Training progress for a person watching: a live single line on a terminal, plain lines otherwise.
///
/// On a terminal (`isatty(1)`) the line is redrawn in place with a carriage return:
/// `epoch 3/20 [#######.....] 120/200  loss 0.0123  mae 0.0456  8123 samples/s  ETA 1m12s`.
/// When stdout is a file or a pipe, a plain line is printed every `interval` seconds and at the end
/// of each epoch, so logs stay readable.
public final class Progress {
    /// Where lines go; replaceable in tests.
    private let write: (String) -> Void
    private let live: Bool
    private let interval: Double
    private let clock: () -> Double
    private var epoch = 0
    public private(set) var epochs = 0
    private var batches = 0
    private var epochStart = 0.0
    private var lastPrint = 0.0
    private var samples = 0
    private var lastLineLength = 0
    /// When the live bar was last drawn; redraws come at most every `redrawInterval` seconds
    /// (a fast epoch would otherwise write thousands of lines a second to the terminal).
    private var lastDraw = -Double.infinity
    private let redrawInterval = 0.1
    private let quiet: Bool

    /// - Parameters:
    ///   - live: redraw one line (terminal) or print periodic lines; defaults to `isatty(stdout)`.
    ///   - interval: seconds between plain lines when not live.
    ///   - quiet: print nothing at all.
    public init(live: Bool? = nil, interval: Double = 10, quiet: Bool = false,
                clock: @escaping () -> Double = { Date().timeIntervalSince1970 },
                write: @escaping (String) -> Void = Progress.standardOutput) {
        self.live = live ?? (isatty(STDOUT_FILENO) != 0)
        self.interval = interval
        self.quiet = quiet
        self.clock = clock
        self.write = write
    }

    /// Writes to stdout and flushes, so a redrawn line shows at once.
    public static func standardOutput(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Starts epoch `epoch` (1-based) of `epochs`, with `batches` batches in it.
    public func beginEpoch(_ epoch: Int, of epochs: Int, batches: Int) {
        self.epoch = epoch
        self.epochs = epochs
        self.batches = batches
        samples = 0
        epochStart = clock()
        lastPrint = epochStart
        lastDraw = -.infinity
    }

    /// Reports that batch `batch` (1-based) is done, with the running mean loss and metric.
    ///
    /// - Parameters:
    ///   - rate, eta: samples per second and seconds left when the caller knows them (the training
    ///     loop counts over all epochs); otherwise measured here over this epoch.
    public func batchDone(_ batch: Int, samples batchSamples: Int, loss: Double, metric: (name: String, value: Double)? = nil,
                          rate knownRate: Double? = nil, eta knownETA: Double? = nil) {
        guard !quiet else { return }
        samples += batchSamples
        let now = clock()
        let elapsed = now - epochStart
        let rate = knownRate ?? (elapsed > 0 ? Double(samples) / elapsed : 0)
        let eta = knownETA ?? (batch > 0 ? elapsed / Double(batch) * Double(batches - batch) : .infinity)
        if live {
            if batch < batches && now - lastDraw < redrawInterval { return }
            lastDraw = now
            let line = Progress.line(epoch: epoch, epochs: epochs, batch: batch, batches: batches,
                                     loss: loss, metric: metric, rate: rate, eta: eta, bar: true)
            let pad = max(0, lastLineLength - line.count)
            write("\r" + line + String(repeating: " ", count: pad))
            lastLineLength = line.count
        } else if now - lastPrint >= interval {
            lastPrint = now
            write(Progress.line(epoch: epoch, epochs: epochs, batch: batch, batches: batches,
                                loss: loss, metric: metric, rate: rate, eta: eta, bar: false) + "\n")
        }
    }

    /// Ends the epoch with a summary line (training loss, validation metric, time).
    public func endEpoch(summary: String) {
        guard !quiet else { return }
        let seconds = clock() - epochStart
        let line = "epoch \(epoch)/\(epochs)  \(summary)  \(Format.duration(seconds))"
        if live {
            let pad = max(0, lastLineLength - line.count)
            write("\r" + line + String(repeating: " ", count: pad) + "\n")
            lastLineLength = 0
        } else {
            write(line + "\n")
        }
    }

    /// A message on its own line (clears a live bar first).
    public func message(_ text: String) {
        guard !quiet else { return }
        if live && lastLineLength > 0 {
            write("\r" + String(repeating: " ", count: lastLineLength) + "\r")
            lastLineLength = 0
        }
        write(text + "\n")
    }

    /// The text of one progress line.
    static func line(epoch: Int, epochs: Int, batch: Int, batches: Int, loss: Double,
                     metric: (name: String, value: Double)?, rate: Double, eta: Double, bar: Bool) -> String {
        var text = "epoch \(epoch)/\(epochs) "
        if bar {
            let width = 20
            let filled = batches > 0 ? min(width, batch * width / batches) : 0
            text += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
        }
        text += "\(batch)/\(batches)  loss \(Format.fixed(loss))"
        if let metric { text += "  \(metric.name) \(Format.fixed(metric.value))" }
        text += "  \(Int(rate)) samples/s  ETA \(Format.duration(eta))"
        return text
    }
}
