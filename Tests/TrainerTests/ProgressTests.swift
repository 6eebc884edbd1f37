import Testing
@testable import Trainer

/// The progress bar redraws in place on a terminal and prints plain periodic lines otherwise.
@Suite struct ProgressTests {
    final class Sink: @unchecked Sendable { var text = ""; var now = 0.0 }

    @Test func liveBarRedrawsWithCarriageReturns() {
        let sink = Sink()
        let progress = Progress(live: true, clock: { sink.now }, write: { sink.text += $0 })
        progress.beginEpoch(1, of: 2, batches: 4)
        sink.now = 1
        progress.batchDone(1, samples: 10, loss: 0.5, metric: (name: "mae", value: 0.25))
        sink.now = 2
        progress.batchDone(2, samples: 10, loss: 0.4)
        progress.endEpoch(summary: "val mae 0.2")
        #expect(sink.text.hasPrefix("\repoch 1/2 [#####...............] 1/4  loss 0.5000  mae 0.2500  10 samples/s  ETA 3s"))
        #expect(sink.text.contains("\repoch 1/2 [##########..........] 2/4  loss 0.4000  10 samples/s  ETA 2s"))
        // The summary overwrites the bar (padded with spaces over its longer text) and ends the line.
        #expect(sink.text.contains("\repoch 1/2  val mae 0.2  2s    "))
        #expect(sink.text.hasSuffix(" \n"))
        #expect(sink.text.filter { $0 == "\n" }.count == 1)
    }

    @Test func liveBarRedrawsAtMostTenTimesASecondButAlwaysAtTheEnd() {
        let sink = Sink()
        let progress = Progress(live: true, clock: { sink.now }, write: { sink.text += $0 })
        progress.beginEpoch(1, of: 1, batches: 5)
        sink.now = 1
        for batch in 1...4 { progress.batchDone(batch, samples: 1, loss: 1) }   // same instant: one draw
        #expect(sink.text.filter { $0 == "\r" }.count == 1)
        progress.batchDone(5, samples: 1, loss: 1)                            // the last batch is drawn
        #expect(sink.text.filter { $0 == "\r" }.count == 2 && sink.text.contains("5/5"))
    }

    @Test func plainModePrintsPeriodicLinesWithoutCarriageReturns() {
        let sink = Sink()
        let progress = Progress(live: false, interval: 10, clock: { sink.now }, write: { sink.text += $0 })
        progress.beginEpoch(1, of: 1, batches: 100)
        for batch in 1...100 {
            sink.now = Double(batch)
            progress.batchDone(batch, samples: 1, loss: 1)
        }
        progress.endEpoch(summary: "done")
        #expect(!sink.text.contains("\r"))
        // one line every 10 s over 100 s, plus the epoch summary
        #expect(sink.text.split(separator: "\n").count == 11)
    }
}
