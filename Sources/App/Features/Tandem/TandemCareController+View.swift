import Vapor

/// The organisers' health overview of a programme's tandems (what `Tandem/overview.leaf` wrote), written in Swift
/// (``HTMLWriter``): a page of fifty rows with nine cells each was most of Leaf's work on it.
extension TandemCareController.OverviewPage {
    func write(into html: inout HTMLWriter, for req: Request) {
        writeHead(into: &html, for: req)
        if empty {
            html.element("div", ["class": "empty-state"]) { html in
                html.element("p", text: req.t("care.none"))
            }
        } else {
            html.raw("\n")
            writeTable(into: &html, for: req)
            writePager(into: &html, for: req)
        }
        html.raw("\n")
        writeSettings(into: &html, for: req)
        html.element("p", ["class": "hint"], text: req.t("care.privacy"))
        html.raw("\n")
    }

    private func writeHead(into html: inout HTMLWriter, for req: Request) {
        html.element("p") { html in
            html.element("a", ["href": back], text: "← " + programme)
        }
        html.raw("\n")
        html.element("h1", text: req.t("care.title"))
        html.raw("\n")
        html.element("p", ["class": "lead"], text: req.t("care.intro"))
        html.raw("\n")
        html.element("ul", ["class": "care-counts", "aria-label": req.t("care.filter")]) { html in
            for count in counts {
                html.element("li") { html in
                    html.element(
                        "a",
                        [
                            "class": "badge badge-" + count.kind + (count.selected ? " selected" : ""),
                            "href": count.href, "aria-current": count.selected ? "true" : nil,
                        ], text: count.label + ": " + String(count.value))
                }
            }
        }
        html.raw("\n")
    }

    // MARK: - Table

    private func writeTable(into html: inout HTMLWriter, for req: Request) {
        let title = req.t("care.title")
        html.element("div", ["class": "table-scroll", "role": "region", "tabindex": "0", "aria-label": title]) {
            html in
            html.raw("\n")
            html.element("table", ["class": "responsive care-table"]) { html in
                html.raw("\n  ")
                html.element("caption", ["class": "visually-hidden"], text: title)
                html.raw("\n  ")
                html.element("thead") { html in
                    html.element("tr") { html in
                        html.raw("\n    ")
                        for key in [
                            "role.mentee", "role.mentor", "care.state", "care.agreement", "care.held", "care.last",
                            "care.next", "care.experiments",
                        ] {
                            html.element("th", ["scope": "col"], text: req.t(key))
                        }
                        html.element("th", ["scope": "col"]) { html in
                            html.element("span", ["class": "visually-hidden"], text: req.t("care.actions"))
                        }
                        html.raw("\n  ")
                    }
                }
                html.raw("\n  ")
                html.element("tbody") { html in
                    html.raw("\n  ")
                    for row in rows {
                        writeRow(row, into: &html, for: req)
                    }
                    html.raw("\n  ")
                }
                html.raw("\n")
            }
            html.raw("\n")
        }
        html.raw("\n")
        html.element("p", ["class": "hint"], text: range)
        html.raw("\n")
    }

    private func writeRow(_ row: TandemHealthRow, into html: inout HTMLWriter, for req: Request) {
        html.element("tr") { html in
            html.raw("\n    ")
            html.element("th", ["scope": "row"], text: row.mentee)
            html.element("td", ["data-label": labels.mentor], text: row.mentor)
            html.raw("\n    ")
            html.element("td", ["data-label": labels.state]) { html in
                html.element("span", ["class": "badge badge-" + row.health], text: row.healthLabel)
            }
            html.raw("\n    ")
            html.element("td", ["data-label": labels.agreement], text: row.agreementText)
            html.raw("\n    ")
            html.element("td", ["data-label": labels.held], text: row.heldText)
            html.raw("\n    ")
            html.element("td", ["data-label": labels.last], text: row.lastMeeting)
            html.element("td", ["data-label": labels.next], text: row.nextMeeting)
            html.raw("\n    ")
            html.element("td", ["data-label": labels.experiments], text: String(row.openExperiments))
            html.raw("\n    ")
            html.element("td") { html in
                if let action = row.checkInAction {
                    html.element("form", ["method": "post", "action": action]) { html in
                        html.csrfField(req.csrfToken)
                        html.element("button", ["type": "submit", "class": "secondary small"], text: labels.checkIn)
                    }
                }
                if let sent = row.checkInSent {
                    html.element("p", ["class": "hint"], text: req.t("care.checkInSentOn", sent))
                }
            }
            html.raw("\n  ")
        }
    }

    private func writePager(into html: inout HTMLWriter, for req: Request) {
        guard previous != nil || next != nil else { return }
        html.element("nav", ["class": "pager button-row", "aria-label": req.t("care.pages")]) { html in
            if let previous {
                html.element(
                    "a", ["class": "button secondary", "href": previous, "rel": "prev"],
                    text: req.t("pairing.listing.previous"))
            }
            html.raw(" ")
            if let next {
                html.element(
                    "a", ["class": "button secondary", "href": next, "rel": "next"], text: req.t("pairing.listing.next")
                )
            }
        }
        html.raw("\n")
    }

    // MARK: - Settings

    private func writeSettings(into html: inout HTMLWriter, for req: Request) {
        html.element("section", ["class": "panel", "aria-labelledby": "care-settings"]) { html in
            html.raw("\n  ")
            html.element("h2", ["id": "care-settings"], text: req.t("care.settings"))
            html.raw("\n  ")
            html.element("form", ["method": "post", "action": settingsAction, "class": "stacked"]) { html in
                html.raw("\n    ")
                html.csrfField(req.csrfToken)
                html.raw("\n    ")
                html.element("label", ["for": "stalledAfterDays"], text: req.t("care.stalledAfterDays"))
                html.raw("\n    ")
                html.open(
                    "input",
                    [
                        "id": "stalledAfterDays", "name": "stalledAfterDays", "type": "number", "min": "14",
                        "max": "120", "value": String(stalledAfterDays), "inputmode": "numeric", "required": "",
                        "aria-describedby": "stalled-hint",
                    ])
                html.raw("\n    ")
                html.element("p", ["class": "hint", "id": "stalled-hint"], text: req.t("care.stalledHint"))
                html.raw("\n    ")
                html.element("button", ["type": "submit"], text: req.t("action.save"))
                html.raw("\n  ")
            }
            html.raw("\n  ")
            html.element("p") { html in
                html.element("a", ["href": promptsLink], text: req.t("prompts.title"))
            }
            html.raw("\n")
        }
        html.raw("\n")
    }
}
