# Les pages de l'application, en français.
page-title = Vérifiez votre numéro de téléphone
language = Langue

home-heading = Vérifiez votre numéro de téléphone
home-continue-to = Vérifiez votre numéro de téléphone pour continuer vers { $client }.
home-lead = Nous vous enverrons un code à usage unique par SMS.
phone-label = Numéro de téléphone
phone-placeholder = 06 12 34 56 78 ou +33 6 12 34 56 78
send-code = Envoyer le code
sending = Envoi…

verify-title = Saisissez votre code
no-number-heading = Pas encore de numéro
no-number-lead = Commencez par saisir le numéro de téléphone à vérifier.
enter-phone = Saisir un numéro de téléphone
sent-by-sms = Nous avons envoyé un code par SMS au { $phone }.
sent-by-voice = Nous appelons le { $phone } pour vous lire un code.
code-label = Code de vérification
code-placeholder-digits = Code à { $length } chiffres
code-placeholder-characters = Code à { $length } caractères
verify = Vérifier
checking = Vérification…
send-new-code = Envoyer un nouveau code
resend-wait = Vous pourrez demander un nouveau code dans { $seconds } s.
use-different-number = Utiliser un autre numéro
new-code-sms = Un nouveau code est en route. Les codes précédents ne fonctionnent plus.
new-code-voice = Nous vous appelons. Les codes précédents ne fonctionnent plus.
expires-in = Le code expire dans { $time }.
expired = Ce code a expiré : demandez-en un nouveau.
call-offer-sms = Pas encore de code ? Dans { $seconds } s, vous pourrez demander un appel.
call-offer-voice = Pas d'appel ? Dans { $seconds } s, nous pourrons vous rappeler.
call-me = Appelez-moi
call-me-again = Rappelez-moi
calling = Appel en cours…

status-sending = Envoi…
status-sent = Envoyé, en attente de remise…
status-delivered = Remis
status-unconfirmed = Envoyé (l'opérateur n'a pas confirmé la remise)
status-failed = Non remis : réessayez ou utilisez un autre numéro
status-calling = Appel en cours…
status-answered = Appel décroché
status-no-answer = Pas de réponse : réessayez
status-completed = Appel terminé
status-call-failed = L'appel a échoué : réessayez ou utilisez un autre numéro

verified-title = Vérifié
verified-lead = Le { $phone } est vérifié.
sign-out = Se déconnecter
signing-out = Déconnexion…

not-found-title = Introuvable
not-found-heading = Page introuvable
not-found-link = Vérifier un numéro de téléphone

wait-seconds = { $count ->
    [one] 1 seconde
   *[other] { $count } secondes
}
wait-minutes = { $count ->
    [one] 1 minute
   *[other] { $count } minutes
}

error-bad_request = Quelque chose n'allait pas dans le formulaire. Veuillez réessayer.
error-invalid_phone = Cela ne ressemble pas à un numéro de téléphone. Indiquez l'indicatif du pays, par ex. +33 6 12 34 56 78.
error-invalid_code = Ce n'est pas le code que nous vous avons envoyé. Vérifiez ses caractères.
error-wrong_code = Ce code n'est pas le bon.
error-wrong_code-left = { $count ->
    [one] Ce code n'est pas le bon. Il vous reste 1 essai.
   *[other] Ce code n'est pas le bon. Il vous reste { $count } essais.
}
error-wrong_code-last = Ce code n'est pas le bon, et c'était le dernier essai. Demandez un nouveau code.
error-code_expired = Ce code a expiré. Demandez un nouveau code.
error-too_many_attempts = Trop d'essais erronés pour ce code. Demandez un nouveau code.
error-no_pending_code = Aucun code n'attend pour ce numéro. Demandez un nouveau code.
error-undeliverable_number = Ce numéro ne peut pas recevoir nos codes. Utilisez un mobile qui reçoit les SMS.
error-opted_out = Ce numéro s'est désabonné de nos SMS. Envoyez START à notre numéro, puis réessayez.
error-sms_unavailable = L'envoi de SMS est momentanément indisponible. Veuillez réessayer plus tard.
error-sms_rate_limited = Nous envoyons trop de messages en ce moment. Veuillez réessayer dans une minute.
error-sms_failed = Nous n'avons pas pu envoyer le SMS. Veuillez réessayer dans une minute.
error-sms_timeout = Nous n'avons pas pu envoyer le SMS. Veuillez réessayer dans une minute.
error-store_unavailable = Nous ne pouvons pas vérifier les codes pour le moment. Veuillez réessayer dans un instant.
error-rate_limited = Trop de tentatives. Réessayez plus tard.
error-rate_limited-wait = Trop de tentatives. Réessayez dans { $wait }.
error-country_not_allowed = Nous ne pouvons pas envoyer de codes aux numéros de ce pays.
error-number_not_allowed = Ce type de numéro ne peut pas recevoir de codes de vérification. Utilisez un mobile.
error-cross_site_request = Cette demande venait d'un autre site et a été refusée.
error-overloaded = Nous sommes très sollicités en ce moment. Veuillez réessayer dans un instant.
error-invalid_api_key = La clé d'API n'est pas valide.
error-api_key_required = Cette API demande une clé.
error-voice_unavailable = Les appels ne sont pas disponibles ici. Utilisez le code que nous vous envoyons par SMS.
error-call_failed = Nous n'avons pas pu vous appeler. Veuillez réessayer dans une minute.
error-internal = Une erreur s'est produite. Veuillez réessayer.
