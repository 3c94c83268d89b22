import Vapor

/// The tandem space's content (what `Tandem/space.leaf` wrote), written in Swift (``HTMLWriter``): both partners
/// come back to it all year, and Leaf's interpreter was a large part of its time.
extension TandemSpacePage {
    func write(into html: inout HTMLWriter, for req: Request) {
        writeHead(into: &html, for: req)
        writeAgreement(into: &html, for: req)
        writeMeetings(into: &html, for: req)
        writePrompt(into: &html, for: req)
        writeNotes(into: &html, for: req)
        writeReflections(into: &html, for: req)
        writeExperiments(into: &html, for: req)
    }

    private func writeHead(into html: inout HTMLWriter, for req: Request) {
        html.element("p") { html in
            html.element("a", ["href": SiteLinks.shared.dashboard], text: "← " + texts.t("nav.dashboard"))
        }
        html.raw("\n")
        html.element("header", ["class": "space-head"]) { html in
            html.raw("\n")
            html.element("p", ["class": "hint"]) { html in
                html.text(programme)
                if readOnly {
                    html.raw(" · ")
                    html.element("span", ["class": "badge badge-ended"], text: texts.t("space.readOnly"))
                }
            }
            html.raw("\n")
            html.element("h1", text: texts.t("space.heading", partnerName))
            html.raw("\n")
            html.element("p", ["class": "lead"], text: partnerRole + " · " + yearText)
            html.raw("\n")
            html.element("div", ["class": "year-progress"]) { html in
                let width = "width: " + String(progressPercent) + "%"
                html.element("div", ["class": "year-progress-bar", "style": width]) { _ in }
            }
            html.raw("\n")
            html.element("p", ["class": "hint"], text: monthText + " · " + texts.t("space.confidential"))
            html.raw("\n")
        }
        html.raw("\n")
        html.element("nav", ["class": "space-nav", "aria-label": texts.t("space.sections")]) { html in
            html.raw("\n")
            for id in ["agreement", "meetings", "prompt", "notes", "reflections", "experiments"] {
                html.element("a", ["href": "#" + id], text: texts.t("space." + id + ".title"))
            }
            html.raw("\n")
        }
        html.raw("\n")
    }

    /// `<section class="card space-section" id="…" aria-labelledby="…-heading"><h2 id="…-heading">icon title</h2>…`
    /// `</section>`
    private func section(
        _ html: inout HTMLWriter, id: String, icon: StaticString, title: String,
        _ content: (inout HTMLWriter) -> Void
    ) {
        html.raw("\n")
        html.element("section", ["class": "card space-section", "id": id, "aria-labelledby": id + "-heading"]) {
            html in
            html.raw("\n")
            html.element("h2", ["id": id + "-heading"]) { html in
                html.icon(icon)
                html.text(title)
            }
            html.raw("\n")
            content(&html)
        }
        html.raw("\n")
    }

    /// `<option value="…" selected>…</option>` for each option.
    private func writeOptions(_ options: [Option], into html: inout HTMLWriter) {
        for option in options {
            html.element(
                "option", ["value": option.value, "selected": HTMLWriter.flag(option.selected)], text: option.label)
        }
    }

    // MARK: - Agreement

    private func writeAgreement(into html: inout HTMLWriter, for req: Request) {
        section(&html, id: "agreement", icon: "check", title: texts.t("space.agreement.title")) { html in
            if let agreement {
                html.element(
                    "p", ["class": "hint"],
                    text: texts.t("space.agreement.version", String(agreement.version), agreement.date))
                html.raw("\n")
                writeTerms(of: agreement, into: &html, for: req)
            } else {
                html.element("p", text: texts.t("space.agreement.none"))
                html.raw("\n")
            }
            if let pending {
                html.element("div", ["class": "pending-agreement"]) { html in
                    html.raw("\n")
                    html.element("h3", text: texts.t("space.agreement.pending", String(pending.version)))
                    html.raw("\n")
                    writeTerms(of: pending, into: &html, for: req)
                    if pending.waitingForMe {
                        if !readOnly {
                            html.element("form", ["method": "post", "action": confirmAction]) { html in
                                html.csrfField(csrfToken)
                                html.open(
                                    "input", ["type": "hidden", "name": "version", "value": String(pending.version)])
                                html.element(
                                    "button", ["type": "submit", "class": "accept"],
                                    text: texts.t("space.agreement.confirm"))
                            }
                            html.raw("\n")
                        }
                    } else {
                        html.element("p", ["class": "hint"], text: texts.t("space.agreement.waitingForPartner"))
                        html.raw("\n")
                    }
                }
                html.raw("\n")
            }
            if !readOnly {
                writeAgreementForm(into: &html, for: req)
            }
            if !history.isEmpty {
                html.element("details") { html in
                    html.element("summary", text: texts.t("space.agreement.history"))
                    html.element("ul") { html in
                        for old in history {
                            html.element("li") { html in
                                html.text(texts.t("space.agreement.version", String(old.version), old.date) + " – ")
                                html.text(old.goals.map(\.goal).joined(separator: "; "))
                            }
                        }
                    }
                }
                html.raw("\n")
            }
        }
    }

    /// The goals, facts and ground rules of an agreement: the one in force or the one proposed.
    private func writeTerms(of agreement: Agreement, into html: inout HTMLWriter, for req: Request) {
        html.element("ol", ["class": "goals"]) { html in
            for goal in agreement.goals {
                html.element("li") { html in
                    html.element("strong", text: goal.goal)
                    html.raw("<br>")
                    html.element("span", ["class": "hint"], text: texts.t("space.agreement.signShort"))
                    html.raw(" ")
                    html.text(goal.sign)
                }
            }
        }
        html.raw("\n")
        html.element("dl", ["class": "facts"]) { html in
            html.raw("\n")
            html.element("dt", text: texts.t("space.agreement.channel"))
            html.element("dd", text: agreement.channel)
            html.raw("\n")
            html.element("dt", text: texts.t("space.agreement.rhythm"))
            html.element("dd", text: agreement.rhythm)
            html.raw("\n")
            html.element("dt", text: texts.t("space.agreement.endsOn"))
            html.element("dd", text: agreement.endsOn)
            html.raw("\n")
        }
        html.raw("\n")
        html.element("details") { html in
            html.element("summary", text: texts.t("space.agreement.rules"))
            html.element("div", ["class": "note-body"]) { html in
                html.trustedHTML(NoteMarkdown.html(agreement.groundRules))
            }
        }
        html.raw("\n")
    }

    private func writeAgreementForm(into html: inout HTMLWriter, for req: Request) {
        html.element("details", ["class": "space-form", "open": HTMLWriter.flag(agreement == nil && pending == nil)]) {
            html in
            html.element(
                "summary", text: texts.t(agreement != nil ? "space.agreement.change" : "space.agreement.propose"))
            html.raw("\n")
            html.element("form", ["method": "post", "action": agreementAction, "class": "stacked"]) { html in
                html.raw("\n")
                html.csrfField(csrfToken)
                html.raw("\n")
                html.element("p", ["class": "hint"], text: texts.t("space.agreement.hint"))
                html.raw("\n")
                for (index, goal) in agreementForm.goals.enumerated() {
                    let number = String(index + 1)
                    let goalID = "goal" + number, signID = "sign" + number
                    html.element("fieldset", ["class": "goal-fields"]) { html in
                        html.element("legend", text: texts.t("space.agreement.goalN", number))
                        html.raw("\n")
                        html.element("label", ["for": goalID], text: texts.t("space.agreement.goal"))
                        html.raw("\n")
                        html.open(
                            "input",
                            [
                                "id": goalID, "name": goalID, "value": goal.goal,
                                "maxlength": String(limits.goal), "required": HTMLWriter.flag(index == 0),
                            ])
                        html.raw("\n")
                        html.element("label", ["for": signID], text: texts.t("space.agreement.sign"))
                        html.raw("\n")
                        html.open(
                            "input",
                            [
                                "id": signID, "name": signID, "value": goal.sign,
                                "maxlength": String(limits.goal), "required": HTMLWriter.flag(index == 0),
                            ])
                        html.raw("\n")
                    }
                    html.raw("\n")
                }
                html.element("label", ["for": "groundRules"], text: texts.t("space.agreement.rules"))
                html.raw("\n")
                html.element(
                    "textarea",
                    [
                        "id": "groundRules", "name": "groundRules", "rows": "6",
                        "maxlength": String(limits.groundRules), "required": "",
                    ], text: agreementForm.groundRules)
                html.raw("\n")
                html.element("label", ["for": "channel"], text: texts.t("space.agreement.channel"))
                html.raw("\n")
                html.element("select", ["id": "channel", "name": "channel"]) { html in
                    writeOptions(agreementForm.channels, into: &html)
                }
                html.raw("\n")
                html.element("label", ["for": "rhythmWeeks"], text: texts.t("space.agreement.rhythm"))
                html.raw("\n")
                html.element("select", ["id": "rhythmWeeks", "name": "rhythmWeeks"]) { html in
                    writeOptions(agreementForm.rhythms, into: &html)
                }
                html.raw("\n")
                html.element("label", ["for": "endsOn"], text: texts.t("space.agreement.endsOn"))
                html.raw("\n")
                html.open(
                    "input",
                    [
                        "id": "endsOn", "name": "endsOn", "type": "date", "value": agreementForm.endsOn,
                        "min": agreementForm.minDate, "max": agreementForm.maxDate, "required": "",
                    ])
                html.raw("\n")
                html.element("button", ["type": "submit"], text: texts.t("space.agreement.submit"))
                html.raw("\n")
            }
            html.raw("\n")
        }
        html.raw("\n")
    }

    // MARK: - Meetings

    private func writeMeetings(into html: inout HTMLWriter, for req: Request) {
        section(&html, id: "meetings", icon: "calendar", title: texts.t("space.meetings.title")) { html in
            if !awaitingOutcome.isEmpty {
                html.element("h3", text: texts.t("space.meetings.outcome"))
                html.raw("\n")
                html.element("ul", ["class": "meeting-list"]) { html in
                    for meeting in awaitingOutcome {
                        writeAwaitingOutcome(meeting, into: &html, for: req)
                    }
                }
                html.raw("\n")
            }
            html.element("h3", text: texts.t("space.meetings.upcoming"))
            html.raw("\n")
            if upcoming.isEmpty {
                html.element("p", ["class": "muted"], text: texts.t("space.meetings.none"))
                html.raw("\n")
            }
            html.element("ul", ["class": "meeting-list"]) { html in
                for meeting in upcoming {
                    writeUpcoming(meeting, into: &html, for: req)
                }
            }
            html.raw("\n")
            if !readOnly {
                writeMeetingProposal(into: &html, for: req)
            }
            if !past.isEmpty {
                html.element("details") { html in
                    html.element("summary", text: texts.t("space.meetings.past"))
                    html.element("ul", ["class": "meeting-history"]) { html in
                        for meeting in past {
                            html.element("li") { html in
                                html.text(meeting.when + " · ")
                                html.element(
                                    "span", ["class": "badge badge-" + meeting.status], text: meeting.statusLabel)
                            }
                        }
                    }
                }
                html.raw("\n")
            }
            html.element("p", ["class": "hint"]) { html in
                html.text(texts.t("space.meetings.feed") + " ")
                html.element("a", ["href": accountLink + "#calendar"], text: texts.t("space.meetings.feedLink"))
            }
            html.raw("\n")
        }
    }

    private func writeAwaitingOutcome(_ meeting: Meeting, into html: inout HTMLWriter, for req: Request) {
        html.element("li", ["class": "meeting"]) { html in
            html.raw("\n")
            html.element("p") { html in
                html.element("strong", text: meeting.when)
                html.text(" · " + meeting.length + " · " + meeting.place)
            }
            html.raw("\n")
            html.element("div", ["class": "button-row"]) { html in
                func outcome(_ held: String, _ buttonClass: String, _ key: String) {
                    html.element("form", ["method": "post", "action": meeting.outcomeAction]) { html in
                        html.csrfField(csrfToken)
                        html.open("input", ["type": "hidden", "name": "held", "value": held])
                        html.element("button", ["type": "submit", "class": buttonClass], text: texts.t(key))
                    }
                    html.raw("\n")
                }
                html.raw("\n")
                outcome("yes", "accept", "space.meeting.held")
                outcome("no", "secondary", "space.meeting.missed")
            }
            html.raw("\n")
        }
    }

    private func writeUpcoming(_ meeting: Meeting, into html: inout HTMLWriter, for req: Request) {
        html.element("li", ["class": "meeting"]) { html in
            html.raw("\n")
            html.element("p") { html in
                html.element("strong", text: meeting.when)
                html.text(" · " + meeting.length + " ")
                html.element("span", ["class": "badge badge-" + meeting.status], text: meeting.statusLabel)
            }
            html.raw("\n")
            html.element("p", ["class": "meeting-place"], text: meeting.place)
            html.raw("\n")
            if meeting.proposedByMe && meeting.status == "proposed" {
                html.element("p", ["class": "hint"], text: texts.t("space.meeting.waiting"))
                html.raw("\n")
            }
            html.element("div", ["class": "button-row"]) { html in
                html.raw("\n")
                if meeting.canAccept {
                    html.element("form", ["method": "post", "action": meeting.acceptAction]) { html in
                        html.csrfField(csrfToken)
                        html.open("input", ["type": "hidden", "name": "version", "value": String(meeting.sequence)])
                        html.element(
                            "button", ["type": "submit", "class": "accept"], text: texts.t("space.meeting.accept"))
                    }
                    html.raw("\n")
                }
                if meeting.canChange {
                    html.element("form", ["method": "post", "action": meeting.cancelAction]) { html in
                        html.csrfField(csrfToken)
                        html.element(
                            "button", ["type": "submit", "class": "secondary"], text: texts.t("space.meeting.cancel"))
                    }
                    html.raw("\n")
                }
            }
            html.raw("\n")
            if meeting.canChange {
                writeReschedule(meeting, into: &html, for: req)
            }
        }
    }

    private func writeReschedule(_ meeting: Meeting, into html: inout HTMLWriter, for req: Request) {
        html.element("details", ["class": "space-form"]) { html in
            html.element("summary", text: texts.t("space.meeting.reschedule"))
            html.raw("\n")
            html.element(
                "form", ["method": "post", "action": meeting.rescheduleAction, "class": "stacked meeting-form"]
            ) { html in
                html.raw("\n")
                html.csrfField(csrfToken)
                html.raw("\n")
                html.element("label", ["for": "date-" + meeting.id], text: texts.t("space.meeting.date"))
                html.open(
                    "input",
                    [
                        "id": "date-" + meeting.id, "name": "date", "type": "date", "value": meeting.date,
                        "min": meetingMinDate, "max": meetingMaxDate, "required": "",
                    ])
                html.raw("\n")
                html.element("label", ["for": "time-" + meeting.id], text: texts.t("space.meeting.time"))
                html.open(
                    "input",
                    ["id": "time-" + meeting.id, "name": "time", "type": "time", "value": meeting.time, "required": ""])
                html.raw("\n")
                html.element("label", ["for": "minutes-" + meeting.id], text: texts.t("space.meeting.length"))
                html.open(
                    "input",
                    [
                        "id": "minutes-" + meeting.id, "name": "minutes", "type": "number", "min": "15", "max": "240",
                        "step": "15", "value": String(meeting.minutes), "required": "",
                    ])
                html.raw("\n")
                html.element("label", ["for": "place-" + meeting.id], text: texts.t("space.meeting.place"))
                html.open(
                    "input",
                    [
                        "id": "place-" + meeting.id, "name": "place", "value": meeting.place,
                        "maxlength": String(limits.place), "required": "",
                    ])
                html.raw("\n")
                html.element("button", ["type": "submit"], text: texts.t("space.meeting.rescheduleSubmit"))
                html.raw("\n")
            }
            html.raw("\n")
        }
        html.raw("\n")
    }

    private func writeMeetingProposal(into html: inout HTMLWriter, for req: Request) {
        html.element("details", ["class": "space-form", "open": HTMLWriter.flag(upcoming.isEmpty)]) { html in
            html.element("summary", text: texts.t("space.meeting.propose"))
            html.raw("\n")
            html.element("form", ["method": "post", "action": meetingAction, "class": "stacked meeting-form"]) {
                html in
                html.raw("\n")
                html.csrfField(csrfToken)
                html.raw("\n")
                html.element("p", ["class": "hint"], text: texts.t("space.meeting.hint"))
                html.raw("\n")
                html.element("label", ["for": "meeting-date"], text: texts.t("space.meeting.date"))
                html.open(
                    "input",
                    [
                        "id": "meeting-date", "name": "date", "type": "date", "min": meetingMinDate,
                        "max": meetingMaxDate, "required": "",
                    ])
                html.raw("\n")
                html.element("label", ["for": "meeting-time"], text: texts.t("space.meeting.time"))
                html.open(
                    "input", ["id": "meeting-time", "name": "time", "type": "time", "value": "17:00", "required": ""])
                html.raw("\n")
                html.element("label", ["for": "meeting-minutes"], text: texts.t("space.meeting.length"))
                html.open(
                    "input",
                    [
                        "id": "meeting-minutes", "name": "minutes", "type": "number", "min": "15", "max": "240",
                        "step": "15", "value": "60", "required": "",
                    ])
                html.raw("\n")
                html.element("label", ["for": "meeting-place"], text: texts.t("space.meeting.place"))
                html.open(
                    "input",
                    [
                        "id": "meeting-place", "name": "place", "maxlength": String(limits.place),
                        "placeholder": texts.t("space.meeting.placeExample"), "required": "",
                    ])
                html.raw("\n")
                html.element("button", ["type": "submit"], text: texts.t("space.meeting.proposeSubmit"))
                html.raw("\n")
            }
            html.raw("\n")
        }
        html.raw("\n")
    }

    // MARK: - Prompt

    private func writePrompt(into html: inout HTMLWriter, for req: Request) {
        section(&html, id: "prompt", icon: "flag", title: texts.t("space.prompt.title")) { html in
            if let prompt {
                html.element("p", ["class": "hint"], text: texts.t("space.prompt.month", String(prompt.month)))
                html.raw("\n")
                html.element("blockquote", ["class": "prompt-question"], text: prompt.question)
                html.raw("\n")
                if let material = prompt.material {
                    html.element("p") { html in
                        html.element(
                            "a", ["href": material, "rel": "noopener noreferrer", "target": "_blank"],
                            text: texts.t("space.prompt.material"))
                    }
                    html.raw("\n")
                }
                if !readOnly {
                    writePromptMarks(prompt, into: &html, for: req)
                }
            }
            if !earlierPrompts.isEmpty {
                html.element("details") { html in
                    html.element("summary", text: texts.t("space.prompt.earlier"))
                    html.element("ul", ["class": "earlier-prompts"]) { html in
                        for earlier in earlierPrompts {
                            html.element("li") { html in
                                html.element(
                                    "span", ["class": "hint"],
                                    text: texts.t("space.prompt.month", String(earlier.month)))
                                html.raw(" ")
                                html.text(earlier.question)
                                if earlier.discussed {
                                    html.raw(" ")
                                    html.element(
                                        "span", ["class": "badge badge-ok"],
                                        text: texts.t("space.prompt.discussedShort"))
                                }
                                if earlier.insight {
                                    html.raw(" ")
                                    html.element(
                                        "span", ["class": "badge badge-proposed"],
                                        text: texts.t("space.prompt.insightShort"))
                                }
                            }
                        }
                    }
                }
                html.raw("\n")
            }
        }
    }

    private func writePromptMarks(_ prompt: Prompt, into html: inout HTMLWriter, for req: Request) {
        html.element("form", ["method": "post", "action": prompt.action, "class": "prompt-marks"]) { html in
            html.raw("\n")
            html.csrfField(csrfToken)
            html.raw("\n")
            html.element("label", ["class": "check"]) { html in
                html.open(
                    "input", ["type": "checkbox", "name": "discussed", "checked": HTMLWriter.flag(prompt.discussed)])
                html.text(" " + texts.t("space.prompt.discussed"))
            }
            html.raw("\n")
            html.element("label", ["class": "check"]) { html in
                html.open("input", ["type": "checkbox", "name": "insight", "checked": HTMLWriter.flag(prompt.insight)])
                html.text(" " + texts.t("space.prompt.insight"))
            }
            html.raw("\n")
            html.element("button", ["type": "submit", "class": "secondary"], text: texts.t("action.save"))
            html.raw("\n")
        }
        html.raw("\n")
    }

    // MARK: - Notes and reflections

    /// `<details class="space-form">` with the form that changes a note or a reflection.
    private func writeNoteEdit(
        _ note: Note, id: String, label: String, into html: inout HTMLWriter, for req: Request
    ) {
        html.element("details", ["class": "space-form"]) { html in
            html.element("summary", text: texts.t("action.edit"))
            html.raw("\n")
            html.element("form", ["method": "post", "action": note.action, "class": "stacked"]) { html in
                html.csrfField(csrfToken)
                html.raw("\n")
                html.element("label", ["for": id], text: label)
                html.raw("\n")
                html.element(
                    "textarea",
                    ["id": id, "name": "body", "rows": "6", "maxlength": String(limits.note), "required": ""],
                    text: note.body)
                html.raw("\n")
                html.element("button", ["type": "submit"], text: texts.t("action.save"))
                html.raw("\n")
            }
        }
        html.raw("\n")
    }

    private func writeNotes(into html: inout HTMLWriter, for req: Request) {
        section(&html, id: "notes", icon: "users", title: texts.t("space.notes.title")) { html in
            html.element("p", ["class": "hint"], text: texts.t("space.notes.hint"))
            html.raw("\n")
            for note in notes {
                html.element("article", ["class": "note"]) { html in
                    html.raw("\n")
                    html.element("p", ["class": "hint"], text: note.author + " · " + note.date)
                    html.raw("\n")
                    html.element("div", ["class": "note-body"]) { html in
                        html.trustedHTML(NoteMarkdown.html(note.body))
                    }
                    html.raw("\n")
                    if !readOnly {
                        writeNoteEdit(
                            note, id: "note-" + note.id, label: texts.t("space.notes.body"), into: &html, for: req)
                    }
                }
                html.raw("\n")
            }
            if !readOnly {
                html.element("form", ["method": "post", "action": noteAction, "class": "stacked"]) { html in
                    html.raw("\n")
                    html.csrfField(csrfToken)
                    html.raw("\n")
                    html.element("label", ["for": "new-note"], text: texts.t("space.notes.new"))
                    html.raw("\n")
                    html.element(
                        "textarea",
                        [
                            "id": "new-note", "name": "body", "rows": "5", "maxlength": String(limits.note),
                            "aria-describedby": "note-format", "required": "",
                        ]
                    ) { _ in }
                    html.raw("\n")
                    html.element("p", ["class": "hint", "id": "note-format"], text: texts.t("space.notes.format"))
                    html.raw("\n")
                    html.element("button", ["type": "submit"], text: texts.t("space.notes.add"))
                    html.raw("\n")
                }
                html.raw("\n")
            }
        }
    }

    private func writeReflections(into html: inout HTMLWriter, for req: Request) {
        section(&html, id: "reflections", icon: "flag", title: texts.t("space.reflections.title")) { html in
            html.element("p", ["class": "hint"], text: texts.t("space.reflections.hint"))
            html.raw("\n")
            for note in reflections {
                html.element("article", ["class": note.closing ? "note note-closing" : "note"]) { html in
                    html.raw("\n")
                    html.element("p", ["class": "hint"]) { html in
                        if note.closing {
                            html.text(texts.t("space.reflections.closing") + " · ")
                        }
                        if let meeting = note.meeting {
                            html.text(texts.t("space.reflections.on", meeting) + " · ")
                        }
                        html.text(note.date)
                    }
                    html.raw("\n")
                    html.element("div", ["class": "note-body"]) { html in
                        html.trustedHTML(NoteMarkdown.html(note.body))
                    }
                    html.raw("\n")
                    writeNoteEdit(
                        note, id: "reflection-" + note.id, label: texts.t("space.reflections.body"), into: &html,
                        for: req)
                }
                html.raw("\n")
            }
            if !readOnly {
                writeNewReflection(into: &html, for: req)
            }
            if closingOpen {
                html.element("form", ["method": "post", "action": reflectionAction, "class": "stacked closing-form"]) {
                    html in
                    html.raw("\n")
                    html.csrfField(csrfToken)
                    html.open("input", ["type": "hidden", "name": "kind", "value": "closing"])
                    html.raw("\n")
                    html.element(
                        "label", ["for": "closing-reflection"], text: texts.t("space.reflections.closingPrompt"))
                    html.raw("\n")
                    html.element(
                        "textarea",
                        [
                            "id": "closing-reflection", "name": "body", "rows": "6", "maxlength": String(limits.note),
                            "required": "",
                        ]
                    ) { _ in }
                    html.raw("\n")
                    html.element("button", ["type": "submit"], text: texts.t("space.reflections.closingSubmit"))
                    html.raw("\n")
                }
                html.raw("\n")
            }
        }
    }

    private func writeNewReflection(into html: inout HTMLWriter, for req: Request) {
        html.element("form", ["method": "post", "action": reflectionAction, "class": "stacked"]) { html in
            html.raw("\n")
            html.csrfField(csrfToken)
            html.raw("\n")
            html.element("label", ["for": "reflection-meeting"], text: texts.t("space.reflections.meeting"))
            html.raw("\n")
            html.element("select", ["id": "reflection-meeting", "name": "meetingID"]) { html in
                html.element("option", ["value": ""], text: texts.t("space.reflections.noMeeting"))
                for option in meetingOptions {
                    html.element("option", ["value": option.value], text: option.label)
                }
            }
            html.raw("\n")
            html.element("label", ["for": "new-reflection"], text: texts.t("space.reflections.body"))
            html.raw("\n")
            html.element(
                "textarea",
                ["id": "new-reflection", "name": "body", "rows": "5", "maxlength": String(limits.note), "required": ""]
            ) { _ in }
            html.raw("\n")
            html.element("button", ["type": "submit"], text: texts.t("space.reflections.add"))
            html.raw("\n")
        }
        html.raw("\n")
    }

    // MARK: - Experiments

    private func writeExperiments(into html: inout HTMLWriter, for req: Request) {
        section(&html, id: "experiments", icon: "shuffle", title: texts.t("space.experiments.title")) { html in
            html.element("p", ["class": "hint"], text: texts.t("space.experiments.hint"))
            html.raw("\n")
            for experiment in experiments {
                writeExperiment(experiment, into: &html, for: req)
                html.raw("\n")
            }
            if !readOnly {
                writeNewExperiment(into: &html, for: req)
            }
        }
    }

    private func writeExperiment(_ experiment: Experiment, into html: inout HTMLWriter, for req: Request) {
        html.element("article", ["class": "note experiment"]) { html in
            html.raw("\n")
            html.element("p") { html in
                html.element("strong", text: experiment.what)
                html.raw(" ")
                html.element("span", ["class": "badge badge-" + experiment.status], text: experiment.statusLabel)
            }
            html.raw("\n")
            html.element(
                "p", ["class": "hint"],
                text: experiment.owner + " · " + texts.t("space.experiments.dueShort", experiment.due))
            html.raw("\n")
            if !experiment.happened.isEmpty {
                html.element("p") { html in
                    html.element("span", ["class": "hint"], text: texts.t("space.experiments.happened"))
                    html.raw("<br>")
                    html.text(experiment.happened)
                }
                html.raw("\n")
            }
            if !experiment.learned.isEmpty {
                html.element("p") { html in
                    html.element("span", ["class": "hint"], text: texts.t("space.experiments.learned"))
                    html.raw("<br>")
                    html.text(experiment.learned)
                }
                html.raw("\n")
            }
            if !readOnly {
                writeExperimentUpdate(experiment, into: &html, for: req)
            }
        }
    }

    private func writeExperimentUpdate(_ experiment: Experiment, into html: inout HTMLWriter, for req: Request) {
        html.element("details", ["class": "space-form"]) { html in
            html.element("summary", text: texts.t("space.experiments.update"))
            html.raw("\n")
            html.element("form", ["method": "post", "action": experiment.action, "class": "stacked"]) { html in
                html.csrfField(csrfToken)
                html.raw("\n")
                html.element("label", ["for": "status-" + experiment.id], text: texts.t("space.experiments.status"))
                html.raw("\n")
                html.element("select", ["id": "status-" + experiment.id, "name": "status"]) { html in
                    writeOptions(experiment.statuses, into: &html)
                }
                html.raw("\n")
                html.element(
                    "label", ["for": "happened-" + experiment.id], text: texts.t("space.experiments.happened"))
                html.raw("\n")
                html.element(
                    "textarea",
                    [
                        "id": "happened-" + experiment.id, "name": "happened", "rows": "3",
                        "maxlength": String(limits.experiment),
                    ], text: experiment.happened)
                html.raw("\n")
                html.element("label", ["for": "learned-" + experiment.id], text: texts.t("space.experiments.learned"))
                html.raw("\n")
                html.element(
                    "textarea",
                    [
                        "id": "learned-" + experiment.id, "name": "learned", "rows": "3",
                        "maxlength": String(limits.experiment),
                    ], text: experiment.learned)
                html.raw("\n")
                html.element("button", ["type": "submit"], text: texts.t("action.save"))
                html.raw("\n")
            }
        }
        html.raw("\n")
    }

    private func writeNewExperiment(into html: inout HTMLWriter, for req: Request) {
        html.element("details", ["class": "space-form", "open": HTMLWriter.flag(experiments.isEmpty)]) { html in
            html.element("summary", text: texts.t("space.experiments.new"))
            html.raw("\n")
            html.element("form", ["method": "post", "action": experimentAction, "class": "stacked"]) { html in
                html.raw("\n")
                html.csrfField(csrfToken)
                html.raw("\n")
                html.element("label", ["for": "experiment-what"], text: texts.t("space.experiments.what"))
                html.raw("\n")
                html.element(
                    "textarea",
                    [
                        "id": "experiment-what", "name": "what", "rows": "3", "maxlength": String(limits.experiment),
                        "required": "",
                    ]
                ) { _ in }
                html.raw("\n")
                html.element("label", ["for": "experiment-owner"], text: texts.t("space.experiments.owner"))
                html.raw("\n")
                html.element("select", ["id": "experiment-owner", "name": "owner"]) { html in
                    writeOptions(owners, into: &html)
                }
                html.raw("\n")
                html.element("label", ["for": "experiment-due"], text: texts.t("space.experiments.due"))
                html.raw("\n")
                html.open(
                    "input",
                    [
                        "id": "experiment-due", "name": "dueOn", "type": "date", "min": meetingMinDate,
                        "max": meetingMaxDate, "required": "",
                    ])
                html.raw("\n")
                html.element("button", ["type": "submit"], text: texts.t("space.experiments.add"))
                html.raw("\n")
            }
            html.raw("\n")
        }
        html.raw("\n")
    }
}
