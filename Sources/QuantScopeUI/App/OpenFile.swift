import Foundation
import QuantEngine

/// A checkpoint open in the explorer, with the name the browser shows.
public struct OpenFile: Sendable {
    public var name: String
    public var checkpoint: Checkpoint

    public init(checkpoint: Checkpoint) {
        self.checkpoint = checkpoint
        name = (checkpoint.path as NSString).lastPathComponent
    }
}
