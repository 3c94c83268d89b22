import Fluent
import Foundation
import Mentoring

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
}
