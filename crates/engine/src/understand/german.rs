//! German words in English checklists. Teams in German-speaking countries often write their
//! checklists half in German: the technical nouns stay English ("Backups", "SSL", "Monitoring",
//! ".env"), the verbs, negations and a few nouns are German ("Restore getestet", ".env Datei
//! nicht im Git Repository", "Automatische tägliche Backups eingerichtet"). Those words are
//! rewritten to the English the binders read; the item stays readable in `map`.
//!
//! Only words that are not also English words are listed, so an English item never changes.
//! The few that are ("im", "die", "von") are rewritten only in an item that has another German
//! word from this table.

use super::normalise::translate;

/// German words and their English, sorted (tested) for a binary search. Participles become
/// the English participle a checklist uses; adjectives keep their endings' variants.
const GERMAN: &[(&str, &str)] = &[
    ("abgelaufen", "expired"),
    ("abgeschlossen", "completed"),
    ("abhängigkeiten", "dependencies"),
    ("aktiv", "active"),
    ("aktiviert", "enabled"),
    ("aktualisiert", "updated"),
    ("alarme", "alerts"),
    ("alarmierung", "alerting"),
    ("alle", "all"),
    ("als", "as"),
    ("antwortzeit", "response time"),
    ("antwortzeiten", "response times"),
    ("automatisch", "automated"),
    ("automatische", "automated"),
    ("automatischen", "automated"),
    ("automatisches", "automated"),
    ("bei", "on"),
    ("benutzer", "user"),
    ("bereitstellung", "deployment"),
    ("bestanden", "passed"),
    ("betriebshandbuch", "runbook"),
    ("datei", "file"),
    ("dateien", "files"),
    ("datenbank", "database"),
    ("datenbank-sicherung", "database backup"),
    ("datenbanken", "databases"),
    ("datenbanksicherung", "database backup"),
    ("datensicherung", "backup"),
    ("datensicherungen", "backups"),
    ("deaktiviert", "disabled"),
    ("definiert", "defined"),
    ("dokumentiert", "documented"),
    ("durchgeführt", "done"),
    ("eingecheckt", "committed"),
    ("eingehalten", "met"),
    ("eingerichtet", "configured"),
    ("eingespielt", "applied"),
    ("empfangen", "received"),
    ("erhalten", "received"),
    ("erstellt", "created"),
    ("fehler", "errors"),
    ("fehlerrate", "error rate"),
    ("festgelegt", "defined"),
    ("funktioniert", "works"),
    ("für", "for"),
    ("geheimnisse", "secrets"),
    ("gepinnt", "pinned"),
    ("geplant", "planned"),
    ("geprüft", "checked"),
    ("geschult", "trained"),
    ("geschützt", "protected"),
    ("gesendet", "sent"),
    ("gesetzt", "set"),
    ("getestet", "tested"),
    ("geübt", "rehearsed"),
    ("gültig", "valid"),
    ("gültige", "valid"),
    ("implementiert", "implemented"),
    ("installiert", "installed"),
    ("jede", "every"),
    ("jedem", "every"),
    ("jeder", "every"),
    ("kein", "no"),
    ("keine", "no"),
    ("keinen", "no"),
    ("kennwörter", "passwords"),
    ("konfiguriert", "configured"),
    ("lasttest", "load test"),
    ("lasttests", "load tests"),
    ("latenz", "latency"),
    ("laufen", "run"),
    ("läuft", "runs"),
    ("metriken", "metrics"),
    ("migrationen", "migrations"),
    ("mindestens", "at least"),
    ("nicht", "not"),
    ("notfallplan", "recovery plan"),
    ("nur", "only"),
    ("oder", "or"),
    ("ohne", "without"),
    ("passwort", "password"),
    ("passwörter", "passwords"),
    ("protokolle", "logs"),
    ("protokollierung", "logging"),
    ("ratenbegrenzung", "rate limiting"),
    ("regelmäßig", "regular"),
    ("regelmäßige", "regular"),
    ("regelmäßigen", "regular"),
    ("schwachstellen", "vulnerabilities"),
    ("sekunden", "seconds"),
    ("sicher", "secure"),
    ("sicherung", "backup"),
    ("sicherungen", "backups"),
    ("sind", "are"),
    ("stunde", "hour"),
    ("stunden", "hours"),
    ("stündlich", "hourly"),
    ("tage", "days"),
    ("tagen", "days"),
    ("täglich", "daily"),
    ("tägliche", "daily"),
    ("täglichen", "daily"),
    ("umgesetzt", "implemented"),
    ("umleitung", "redirect"),
    ("und", "and"),
    ("verfügbar", "available"),
    ("verschlüsselt", "encrypted"),
    ("verschlüsselung", "encryption"),
    ("versendet", "sent"),
    ("verzeichnis", "directory"),
    ("vom", "by the"),
    ("vorbereitet", "prepared"),
    ("vorhanden", "present"),
    ("warnungen", "alerts"),
    ("weiterleitung", "redirect"),
    ("werden", "are"),
    ("wiederherstellung", "restore"),
    ("wiederherstellungstest", "restore test"),
    ("wird", "is"),
    ("wöchentlich", "weekly"),
    ("zertifikat", "certificate"),
    ("zertifikate", "certificates"),
    ("zugangsdaten", "credentials"),
    ("öffentlich", "public"),
    ("überprüft", "verified"),
    ("überwacht", "monitored"),
    ("überwachung", "monitoring"),
];

/// Words that are German only beside other German words ("im" is also an English
/// contraction typed without its apostrophe), sorted (tested) like `GERMAN`.
const GERMAN_IN_CONTEXT: &[(&str, &str)] = &[
    ("die", "the"),
    ("im", "in the"),
    ("ist", "is"),
    ("unter", "at"),
    ("von", "of"),
];

/// Rewrite the German words of lowercased `words` in place; words with several English words
/// ("at least") are split.
pub fn to_english(words: &mut Vec<String>) {
    translate(words, GERMAN, GERMAN_IN_CONTEXT, false);
}

#[cfg(test)]
mod tests {
    use super::{GERMAN, GERMAN_IN_CONTEXT, to_english};

    fn english(s: &str) -> String {
        let mut w: Vec<String> = s.split(' ').map(str::to_string).collect();
        to_english(&mut w);
        w.join(" ")
    }

    #[test]
    fn tables_are_sorted_for_binary_search() {
        assert!(GERMAN.windows(2).all(|p| p[0].0 < p[1].0));
        assert!(GERMAN_IN_CONTEXT.windows(2).all(|p| p[0].0 < p[1].0));
    }

    #[test]
    fn german_words_in_an_english_item_become_english() {
        assert_eq!(english("restore getestet"), "restore tested");
        assert_eq!(
            english(".env datei nicht im git repository"),
            ".env file not in the git repository"
        );
        assert_eq!(
            english("automatische tägliche backups eingerichtet"),
            "automated daily backups configured"
        );
        assert_eq!(
            english("restore getestet (mindestens einmal!)"),
            "restore tested (at least einmal!)"
        );
    }

    #[test]
    fn a_hyphenated_compound_is_read_by_its_parts() {
        assert_eq!(english("ssl-zertifikat gültig"), "ssl certificate valid");
        assert_eq!(english("datenbank-backup täglich"), "database backup daily");
        // Short parts stay: "non-production" is English, whatever "non" means elsewhere.
        assert_eq!(
            english("non-production restore getestet"),
            "non-production restore tested"
        );
    }

    #[test]
    fn english_items_stay_as_they_are() {
        // "im" and "die" are rewritten only beside a German word.
        assert_eq!(english("im alerts die fast"), "im alerts die fast");
        assert_eq!(english("backups tested daily"), "backups tested daily");
    }
}
