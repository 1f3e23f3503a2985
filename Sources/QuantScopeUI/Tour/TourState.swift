import QuantEngine

/// Where the tour is (docs/contract.md §15): the lesson and scene shown,
/// and what a scene still has to do once its tensor arrives.
public struct TourState: Sendable {
    public var lesson = 0
    public var scene = 0
    /// The cursor to place when the scene's tensor has loaded.
    public var pendingCursor: TourScene.Cursor?
    /// The first file's size in each storage format (lesson 1), counted once.
    public var footprint: ModelFootprint?

    public init(lesson: Int = 0) {
        self.lesson = lesson
    }

    public var current: TourScene { TourLessons.all[lesson].scenes[scene] }
    public var currentLesson: TourLesson { TourLessons.all[lesson] }
}
