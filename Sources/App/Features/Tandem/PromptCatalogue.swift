import Fluent
import Foundation
import Mentoring
import Vapor

/// A programme's monthly prompts: the organisers' catalogue where they wrote one, else the default prompt of that
/// month (`DiscussionPrompts.defaults`), so a new programme starts with the announcement's two questions.
struct PromptCatalogue: Sendable {
    struct Entry: Sendable, Equatable {
        let month: Int
        let german: String
        let english: String
        let materialURL: String?

        func question(_ locale: AppLocale) -> String { locale == .en && !english.isEmpty ? english : german }
    }

    let entries: [Int: Entry]

    func entry(month: Int) -> Entry? { entries[month] }

    static func load(programmeID: UUID, on db: any Database) async throws -> PromptCatalogue {
        var entries: [Int: Entry] = [:]
        for (index, prompt) in DiscussionPrompts.defaults.enumerated() {
            entries[index + 1] = Entry(
                month: index + 1, german: prompt.german, english: prompt.english, materialURL: nil)
        }
        for row in try await ProgrammePrompt.all(programme: programmeID, on: db) {
            entries[row.month] = Entry(
                month: row.month, german: row.questionDE, english: row.questionEN, materialURL: row.materialURL)
        }
        return PromptCatalogue(entries: entries)
    }

    /// The catalogue for a page view: from ``Application/promptCatalogueCache`` (5 s at most; any write request and
    /// any Fluent change of a programme's prompt empty it). Every tandem of the programme shows the same one.
    static func loadForReading(programmeID: UUID, req: Request) async throws -> PromptCatalogue {
        try await req.application.promptCatalogueCache.value(for: programmeID, now: req.now) {
            try await load(programmeID: programmeID, on: req.db)
        }
    }
}

extension Application {
    private struct PromptCatalogueCacheKey: StorageKey { typealias Value = GenerationCache<UUID, PromptCatalogue> }

    /// Prompt catalogues by programme id, read by the tandem space on every view (set up in `configure`).
    var promptCatalogueCache: GenerationCache<UUID, PromptCatalogue> {
        generationCache(PromptCatalogueCacheKey.self)
    }
}
