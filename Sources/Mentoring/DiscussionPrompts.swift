/// The monthly discussion prompts a new programme starts with: the two questions of the programme's announcement
/// first, then ten more written for this project. Organisers edit the catalogue per programme.
public enum DiscussionPrompts {
    public struct Prompt: Sendable, Equatable {
        public let german: String
        public let english: String
    }

    public static let defaults: [Prompt] = [
        Prompt(
            german: "Entsteht Innovation durch Tradition oder Tradition durch Innovation?",
            english: "Does innovation come from tradition, or tradition from innovation?"),
        Prompt(
            german:
                "Welche Szenarien gibt es für die Arbeitswelt der Zukunft und wie kontrollierbar sind die Veränderungen?",
            english:
                "Which scenarios are there for the world of work of the future, and how controllable are the changes?"),
        Prompt(
            german: "Welches Werkzeug nutzt die jüngere Generation täglich, das in der Geschäftsleitung niemand kennt?",
            english: "Which tool does the younger generation use every day that nobody in the executive team knows?"),
        Prompt(
            german:
                "Wie trifft ein Team ohne Hierarchie gute Entscheidungen – und was davon passt zu Ihrem Unternehmen?",
            english: "How does a team without hierarchy make good decisions – and what of that fits your company?"),
        Prompt(
            german: "Was würde passieren, wenn Ihr Unternehmen eine Woche lang keine E-Mails schreiben dürfte?",
            english: "What would happen if your company could not write e-mails for a week?"),
        Prompt(
            german: "Wo hilft künstliche Intelligenz heute schon in Ihrem Alltag, und wo sollte sie es nicht?",
            english: "Where does artificial intelligence already help in your daily work, and where should it not?"),
        Prompt(
            german: "Wie erleben junge Talente die ersten hundert Tage in Ihrem Unternehmen?",
            english: "How do young talents experience their first hundred days in your company?"),
        Prompt(
            german: "Welche Ihrer Gewohnheiten als Führungskraft würde die nächste Generation sofort abschaffen?",
            english: "Which of your habits as an executive would the next generation abolish at once?"),
        Prompt(
            german: "Wie sieht ein Fehler aus, aus dem Ihr Unternehmen wirklich gelernt hat?",
            english: "What does a mistake look like that your company really learned from?"),
        Prompt(
            german: "Was bedeutet Sichtbarkeit in sozialen Netzwerken für eine Führungskraft – Chance oder Risiko?",
            english: "What does visibility on social networks mean for an executive – opportunity or risk?"),
        Prompt(
            german:
                "Welches Experiment könnten Sie beide im nächsten Monat ausprobieren, und woran merken Sie, ob es wirkt?",
            english: "Which experiment could the two of you try next month, and how will you notice whether it works?"),
        Prompt(
            german: "Was nehmen Sie beide aus diesem Jahr mit, und was soll Ihr Netzwerk davon erfahren?",
            english: "What do you both take away from this year, and what should your network learn from it?"),
    ]
}
