import Vapor

/// The dashboard's content, written in Swift (``HTMLWriter``): it is the page everyone opens first, many times
/// a day, and Leaf's interpreter was a fifth of its time.
extension DashboardController.DashboardPage {
    func write(into html: inout HTMLWriter, for req: Request) {
        html.element("h1", text: greeting)
        html.raw("\n")
        if isOrganiser { writeOrganiser(into: &html, for: req) } else { writeParticipant(into: &html, for: req) }
    }

    private func writeOrganiser(into html: inout HTMLWriter, for req: Request) {
        let links = SiteLinks.shared
        html.element("div", ["class": "page-head"]) { html in
            html.element("p", ["class": "muted"], text: req.t("dashboard.organiser.intro"))
            html.element("a", ["class": "button", "href": links.newProgramme]) { html in
                html.icon("plus")
                html.text(req.t("programme.new.title"))
            }
        }
        html.raw("\n")
        html.element("p") { html in
            html.element("a", ["class": failedMail > 0 ? "pill-link pill-bad" : "pill-link", "href": links.outbox]) {
                html in
                html.icon("outbox")
                html.text(req.t("dashboard.outbox", String(pendingMail), String(failedMail)))
            }
        }
        html.raw("\n")
        let heading = req.t("dashboard.programmes")
        html.element("h2", text: heading)
        html.raw("\n")
        guard !programmes.isEmpty else {
            html.element("p", text: req.t("dashboard.noProgrammes"))
            return
        }
        let nameLabel = req.t("programme.name"), phaseLabel = req.t("programme.phase")
        let kickoffLabel = req.t("programme.kickoff"), mentorsLabel = req.t("role.mentors")
        let menteesLabel = req.t("role.mentees"), durationLabel = req.t("programme.duration")
        html.element("div", ["class": "table-scroll", "role": "region", "tabindex": "0", "aria-label": heading]) {
            html in
            html.raw("\n")
            html.element("table", ["class": "responsive"]) { html in
                html.element("caption", ["class": "visually-hidden"], text: heading)
                html.raw("\n<thead><tr>")
                for label in [nameLabel, phaseLabel, kickoffLabel, mentorsLabel, menteesLabel, durationLabel] {
                    html.element("th", ["scope": "col"], text: label)
                }
                html.raw("</tr></thead>\n<tbody>\n")
                for programme in programmes {
                    html.open("tr")
                    html.element("th", ["scope": "row"]) { html in
                        if let href = programme.href {
                            html.element("a", ["href": href], text: programme.name)
                        } else {
                            html.text(programme.name)
                        }
                    }
                    html.element("td", ["data-label": phaseLabel], text: programme.phase)
                    html.element("td", ["data-label": kickoffLabel], text: programme.kickoff ?? "–")
                    html.element("td", ["data-label": mentorsLabel], text: String(programme.mentors))
                    html.element("td", ["data-label": menteesLabel], text: String(programme.mentees))
                    html.element("td", ["data-label": durationLabel], text: programme.duration)
                    html.raw("</tr>\n")
                }
                html.raw("</tbody>\n")
            }
            html.raw("\n")
        }
    }

    private func writeParticipant(into html: inout HTMLWriter, for req: Request) {
        html.element("p", text: req.t("dashboard.participant.intro"))
        html.raw("\n")
        guard !cards.isEmpty else {
            html.element("p", text: req.t("home.noProgrammes"))
            html.element("p") { html in
                html.element(
                    "a", ["class": "button", "href": SiteLinks.shared.home], text: req.t("home.link.programmes"))
            }
            return
        }
        let phasesLabel = req.t("home.phases"), nextStepLabel = req.t("home.yourNextStep")
        html.element("ul", ["class": "home-cards"]) { html in
            for card in cards {
                html.raw("\n")
                html.element("li", ["class": "card home-card"]) { html in
                    html.element("p", ["class": "home-card-role"], text: card.role + " · " + card.phase)
                    html.element("h2", text: card.programme)
                    if card.step > 0 {
                        html.element("ol", ["class": "stepper", "aria-label": phasesLabel]) { html in
                            for (index, label) in phaseLabels.enumerated() {
                                let step = index + 1
                                html.element(
                                    "li",
                                    [
                                        "aria-current": step == card.step ? "step" : nil,
                                        "class": step == card.step ? "current" : step < card.step ? "done" : nil,
                                    ], text: label)
                            }
                        }
                    }
                    html.element("div", ["class": "next-step"]) { html in
                        html.element("p", ["class": "home-next"]) { html in
                            html.element("span", ["class": "next-step-label"]) { html in
                                html.icon("flag")
                                html.text(nextStepLabel)
                            }
                            html.raw(" ")
                            html.text(card.next)
                        }
                        if let nextDate = card.nextDate {
                            html.element("p", ["class": "home-date"]) { html in
                                html.icon("calendar")
                                html.raw(" ")
                                html.text(nextDate)
                            }
                        }
                        if !card.links.isEmpty {
                            html.element("p", ["class": "home-links"]) { html in
                                for link in card.links {
                                    html.element(
                                        "a",
                                        ["class": link.primary ? "button" : "button secondary", "href": link.href],
                                        text: link.label)
                                    html.raw(" ")
                                }
                            }
                        }
                    }
                }
            }
            html.raw("\n")
        }
    }
}
