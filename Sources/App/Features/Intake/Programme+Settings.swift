import Foundation
import Mentoring

extension Programme {
    /// The last day for applications, without decoding the rest of the settings (the start page asks on every view).
    var applicationDeadlineDate: CalendarDate? { applicationDeadline.flatMap(CalendarDate.init(parsing:)) }

    /// The programme's settings as the pure domain sees them.
    func settings(timeZone: TimeZone) -> ProgrammeSettings {
        let decoder = JSONDecoder()
        return ProgrammeSettings(
            name: name, description: description,
            focusTopics: (try? decoder.decode([String].self, from: Data(focusTopicsJSON.utf8))) ?? [],
            contacts: (try? decoder.decode([ProgrammeSettings.Contact].self, from: Data(contactsJSON.utf8))) ?? [],
            patronText: patronText,
            kickoffLocal: kickoffAt.map { LocalDateTime.format($0, in: timeZone) },
            roundsAtKickoff: roundsAtKickoff, minutesPerRound: minutesPerRound, shortlistSize: shortlistSize,
            durationMonths: durationMonths,
            eligibility: EligibilityRules(
                requiredTalentProgramme: requiredTalentProgramme, minimumTenureMonths: minimumTenureMonths),
            applicationDeadline: applicationDeadline.flatMap(CalendarDate.init(parsing:)),
            privacyNotice: privacyNotice)
    }

    /// Applies validated settings; a changed privacy notice gets a new version number.
    func apply(_ settings: ProgrammeSettings, timeZone: TimeZone) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        name = settings.name
        description = settings.description
        focusTopicsJSON = String(
            decoding: (try? encoder.encode(settings.focusTopics)) ?? Data("[]".utf8), as: UTF8.self)
        contactsJSON = String(decoding: (try? encoder.encode(settings.contacts)) ?? Data("[]".utf8), as: UTF8.self)
        patronText = settings.patronText
        kickoffAt = settings.kickoffLocal.flatMap { LocalDateTime.parse($0, in: timeZone) }
        roundsAtKickoff = settings.roundsAtKickoff
        minutesPerRound = settings.minutesPerRound
        shortlistSize = settings.shortlistSize
        durationMonths = settings.durationMonths
        requiredTalentProgramme = settings.eligibility.requiredTalentProgramme
        minimumTenureMonths = settings.eligibility.minimumTenureMonths
        applicationDeadline = settings.applicationDeadline?.description
        if privacyNotice != settings.privacyNotice {
            if !privacyNotice.isEmpty || id != nil { privacyNoticeVersion += 1 }
            privacyNotice = settings.privacyNotice
        }
    }
}
