# Die Seiten der Anwendung, auf Deutsch.
page-title = Telefonnummer bestätigen
language = Sprache

home-heading = Telefonnummer bestätigen
home-continue-to = Bestätigen Sie Ihre Telefonnummer, um mit { $client } fortzufahren.
home-lead = Wir senden Ihnen einen Einmalcode per SMS.
phone-label = Telefonnummer
phone-placeholder = 0151 23456789 oder +49 151 23456789
send-code = Code senden
sending = Wird gesendet…

verify-title = Code eingeben
no-number-heading = Noch keine Nummer
no-number-lead = Geben Sie zuerst die Telefonnummer ein, die bestätigt werden soll.
enter-phone = Telefonnummer eingeben
sent-by-sms = Wir haben einen Code per SMS an { $phone } gesendet.
sent-by-voice = Wir rufen { $phone } an, um Ihnen einen Code vorzulesen.
code-label = Bestätigungscode
code-placeholder-digits = { $length }-stelliger Code
code-placeholder-characters = { $length }-stelliger Code
verify = Bestätigen
checking = Wird geprüft…
send-new-code = Neuen Code senden
resend-wait = Sie können in { $seconds } s einen neuen Code anfordern.
use-different-number = Andere Nummer verwenden
new-code-sms = Ein neuer Code ist unterwegs. Frühere Codes gelten nicht mehr.
new-code-voice = Wir rufen Sie jetzt an. Frühere Codes gelten nicht mehr.
expires-in = Der Code läuft in { $time } ab.
expired = Dieser Code ist abgelaufen: Fordern Sie einen neuen an.
call-offer-sms = Noch kein Code? In { $seconds } s können Sie stattdessen einen Anruf anfordern.
call-offer-voice = Kein Anruf? In { $seconds } s können wir Sie erneut anrufen.
call-me = Rufen Sie mich an
call-me-again = Erneut anrufen
calling = Anruf läuft…

status-sending = Wird gesendet…
status-sent = Gesendet, Zustellung ausstehend…
status-delivered = Zugestellt
status-unconfirmed = Gesendet (der Netzbetreiber hat die Zustellung nicht bestätigt)
status-failed = Nicht zugestellt: Versuchen Sie es erneut oder verwenden Sie eine andere Nummer
status-calling = Anruf läuft…
status-answered = Anruf angenommen
status-no-answer = Keine Antwort: Versuchen Sie es erneut
status-completed = Anruf beendet
status-call-failed = Der Anruf ist fehlgeschlagen: Versuchen Sie es erneut oder verwenden Sie eine andere Nummer

verified-title = Bestätigt
verified-lead = { $phone } ist bestätigt.
sign-out = Abmelden
signing-out = Abmeldung…

not-found-title = Nicht gefunden
not-found-heading = Seite nicht gefunden
not-found-link = Eine Telefonnummer bestätigen

wait-seconds = { $count ->
    [one] 1 Sekunde
   *[other] { $count } Sekunden
}
wait-minutes = { $count ->
    [one] 1 Minute
   *[other] { $count } Minuten
}

error-bad_request = Im Formular stimmte etwas nicht. Bitte versuchen Sie es erneut.
error-invalid_phone = Das sieht nicht wie eine Telefonnummer aus. Geben Sie die Landesvorwahl an, z. B. +49 151 23456789.
error-invalid_code = Das ist nicht der Code, den wir Ihnen gesendet haben. Prüfen Sie seine Zeichen.
error-wrong_code = Dieser Code ist falsch.
error-wrong_code-left = { $count ->
    [one] Dieser Code ist falsch. Noch 1 Versuch.
   *[other] Dieser Code ist falsch. Noch { $count } Versuche.
}
error-wrong_code-last = Dieser Code ist falsch, und das war der letzte Versuch. Fordern Sie einen neuen Code an.
error-code_expired = Dieser Code ist abgelaufen. Fordern Sie einen neuen Code an.
error-too_many_attempts = Zu viele falsche Versuche für diesen Code. Fordern Sie einen neuen Code an.
error-no_pending_code = Für diese Nummer wartet kein Code. Fordern Sie einen neuen Code an.
error-undeliverable_number = Diese Nummer kann unsere Codes nicht empfangen. Verwenden Sie eine Mobilnummer, die SMS empfangen kann.
error-opted_out = Diese Nummer hat unsere SMS abbestellt. Senden Sie START an unsere Nummer und versuchen Sie es dann erneut.
error-sms_unavailable = SMS sind vorübergehend nicht verfügbar. Bitte versuchen Sie es später erneut.
error-sms_rate_limited = Wir senden gerade zu viele Nachrichten. Bitte versuchen Sie es in einer Minute erneut.
error-sms_failed = Wir konnten die SMS nicht senden. Bitte versuchen Sie es in einer Minute erneut.
error-sms_timeout = Wir konnten die SMS nicht senden. Bitte versuchen Sie es in einer Minute erneut.
error-store_unavailable = Wir können Codes gerade nicht prüfen. Bitte versuchen Sie es gleich noch einmal.
error-rate_limited = Zu viele Versuche. Versuchen Sie es später erneut.
error-rate_limited-wait = Zu viele Versuche. Versuchen Sie es in { $wait } erneut.
error-country_not_allowed = Wir können keine Codes an Nummern in diesem Land senden.
error-number_not_allowed = Diese Art von Nummer kann keine Bestätigungscodes empfangen. Verwenden Sie eine Mobilnummer.
error-cross_site_request = Diese Anfrage kam von einer anderen Website und wurde abgelehnt.
error-overloaded = Wir sind gerade sehr ausgelastet. Bitte versuchen Sie es gleich noch einmal.
error-invalid_api_key = Der API-Schlüssel ist ungültig.
error-api_key_required = Diese API braucht einen Schlüssel.
error-voice_unavailable = Anrufe sind hier nicht verfügbar. Verwenden Sie den Code, den wir Ihnen per SMS senden.
error-call_failed = Wir konnten Sie gerade nicht anrufen. Bitte versuchen Sie es in einer Minute erneut.
error-internal = Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.
