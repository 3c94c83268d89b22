import Vapor

/// The programme cockpit's content, written in Swift (``HTMLWriter``): organisers come back to it all day, and
/// Leaf's interpreter was a quarter of its time.
extension ProgrammeController.OverviewPage {
    func write(into html: inout HTMLWriter, for req: Request) {
        writeHead(into: &html, for: req)
        html.raw("\n")
        html.element("div", ["class": "cockpit"]) { html in
            html.raw("\n")
            html.element("div", ["class": "cockpit-main"]) { html in
                writeAttention(into: &html, for: req)
                writeFunnel(into: &html, for: req)
                writeAudit(into: &html, for: req)
            }
            html.raw("\n")
            html.element("div", ["class": "cockpit-side"]) { html in
                writeShortcuts(into: &html, for: req)
                writeDates(into: &html, for: req)
                writePhaseChange(into: &html, for: req)
            }
            html.raw("\n")
        }
        html.raw("\n")
        writeSettings(into: &html, for: req)
    }

    private func writeHead(into html: inout HTMLWriter, for req: Request) {
        html.element("div", ["class": "page-head"]) { html in
            html.element("div") { html in
                html.element("p", ["class": "kicker"]) { html in
                    html.element("span", ["class": "badge badge-phase"], text: phase)
                    html.raw(" ")
                    html.element("span", ["class": "muted"], text: people)
                }
                html.element("h1", text: name)
            }
            html.element("a", ["class": "button secondary", "href": links.edit]) { html in
                html.icon("settings")
                html.text(req.t("programme.edit"))
            }
        }
        html.raw("\n")
        if !description.isEmpty {
            html.element("p", ["class": "lead"], text: description)
            html.raw("\n")
        }
        html.element("nav", ["aria-label": req.t("programme.phases")]) { html in
            html.element("ol", ["class": "phase-steps"]) { html in
                for step in phases {
                    html.element(
                        "li",
                        [
                            "class": step.current ? "current" : step.done ? "done" : nil,
                            "aria-current": step.current ? "step" : nil,
                        ], text: step.label)
                }
            }
        }
    }

    /// `<section class="card …" aria-labelledby="…-heading"><h2 id="…-heading">title</h2>…</section>`
    private func section(
        _ html: inout HTMLWriter, _ classes: String, id: String, title: String, _ content: (inout HTMLWriter) -> Void
    ) {
        html.raw("\n")
        html.element("section", ["class": classes, "aria-labelledby": id + "-heading"]) { html in
            html.element("h2", ["id": id + "-heading"], text: title)
            content(&html)
        }
    }

    private func writeAttention(into html: inout HTMLWriter, for req: Request) {
        section(&html, "card cockpit-attention", id: "attention", title: req.t("cockpit.attention")) { html in
            guard !attention.isEmpty else {
                html.element("p", ["class": "all-done"]) { html in
                    html.icon("success")
                    html.raw(" ")
                    html.text(req.t("cockpit.allDone"))
                }
                return
            }
            html.element("ul", ["class": "attention"]) { html in
                for item in attention {
                    html.element("li", ["class": "attention-" + item.kind]) { html in
                        html.element("a", ["href": item.href]) { html in
                            html.icon("warning")
                            html.element("span", text: item.text)
                            html.icon("chevron-right")
                        }
                    }
                }
            }
        }
    }

    private func writeFunnel(into html: inout HTMLWriter, for req: Request) {
        section(&html, "card cockpit-funnel", id: "funnel", title: req.t("cockpit.funnel")) { html in
            html.element("ol", ["class": "funnel"]) { html in
                for step in funnel {
                    html.element("li") { html in
                        html.element("span", ["class": "count-value"], text: String(step.value))
                        html.raw(" ")
                        html.text(step.label)
                    }
                }
            }
        }
    }

    private func writeAudit(into html: inout HTMLWriter, for req: Request) {
        section(&html, "card cockpit-audit", id: "audit", title: req.t("audit.title")) { html in
            guard !audit.isEmpty else {
                html.element("p", ["class": "muted"], text: req.t("audit.empty"))
                return
            }
            html.element("ul", ["class": "audit"]) { html in
                for event in audit {
                    html.element("li") { html in
                        html.element("span", ["class": "muted"], text: event.when)
                        html.text(" · " + event.who + ": " + event.what)
                    }
                }
            }
        }
    }

    private func writeShortcuts(into html: inout HTMLWriter, for req: Request) {
        section(&html, "card cockpit-shortcuts", id: "shortcuts", title: req.t("cockpit.shortcuts")) { html in
            html.element("ul", ["class": "shortcuts"]) { html in
                func shortcut(_ href: String, _ icon: StaticString, _ key: String) {
                    html.element("li") { html in
                        html.element("a", ["href": href]) { html in
                            html.icon(icon)
                            html.text(req.t(key))
                        }
                    }
                }
                shortcut(links.applications, "programme", "application.queue.title")
                shortcut(links.members, "users", "members.title")
                shortcut(links.kickoff, "shuffle", "kickoff.title")
                shortcut(links.pairing, "heart", "pairing.board")
                shortcut(links.tandems, "calendar", "care.title")
                shortcut(links.prompts, "flag", "prompts.title")
            }
        }
    }

    private func writeDates(into html: inout HTMLWriter, for req: Request) {
        section(&html, "card cockpit-dates", id: "dates", title: req.t("cockpit.dates")) { html in
            guard !dates.isEmpty else {
                html.element("p", ["class": "muted"], text: req.t("cockpit.noDates"))
                return
            }
            html.element("dl", ["class": "dates"]) { html in
                for date in dates {
                    html.element("div") { html in
                        html.element("dt", text: date.label)
                        html.element("dd") { html in
                            html.icon("calendar")
                            html.raw(" ")
                            html.text(date.value)
                        }
                    }
                }
            }
        }
    }

    private func writePhaseChange(into html: inout HTMLWriter, for req: Request) {
        guard let nextPhase, let nextPhaseLabel else { return }
        html.raw("\n")
        html.element("details", ["class": "confirm cockpit-phase", "id": "phase-confirm"]) { html in
            html.element("summary", text: nextPhaseLabel + "…")
            html.element("p", text: req.t("programme.phase.confirm"))
            if !phaseWarnings.isEmpty {
                html.element("ul", ["class": "warnings"]) { html in
                    for warning in phaseWarnings { html.element("li", text: warning) }
                }
            }
            html.element("form", ["method": "post", "action": links.phase, "class": "inline-form"]) { html in
                html.csrfField(req.csrfToken)
                html.open("input", ["type": "hidden", "name": "to", "value": nextPhase])
                html.element("button", ["type": "submit", "id": "advance-phase"], text: nextPhaseLabel)
            }
        }
    }

    private func writeSettings(into html: inout HTMLWriter, for req: Request) {
        html.element("section", ["aria-labelledby": "settings-heading"]) { html in
            html.element("h2", ["id": "settings-heading"], text: req.t("programme.settings"))
            html.element("div", ["class": "card"]) { html in
                html.element("dl", ["class": "facts"]) { html in
                    for fact in facts {
                        html.element("dt", text: fact.label)
                        html.element("dd", text: fact.value)
                    }
                    html.element("dt", text: req.t("programme.field.focusTopics"))
                    html.element("dd") { html in
                        guard !topics.isEmpty else { return html.raw("–") }
                        for topic in topics {
                            html.element("span", ["class": "badge"], text: topic)
                            html.raw(" ")
                        }
                    }
                    html.element("dt", text: req.t("programme.field.contacts"))
                    html.element("dd") { html in
                        guard !contacts.isEmpty else { return html.raw("–") }
                        for contact in contacts {
                            html.text(contact)
                            html.raw("<br>")
                        }
                    }
                }
            }
        }
        html.raw("\n")
    }
}
