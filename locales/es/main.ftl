# Las páginas de la aplicación, en español.
page-title = Verifica tu número de teléfono
language = Idioma

home-heading = Verifica tu número de teléfono
home-continue-to = Verifica tu número de teléfono para continuar en { $client }.
home-lead = Te enviaremos un código de un solo uso por SMS.
phone-label = Número de teléfono
phone-placeholder = 612 34 56 78 o +34 612 34 56 78
send-code = Enviar código
sending = Enviando…

verify-title = Introduce tu código
no-number-heading = Aún no hay número
no-number-lead = Empieza introduciendo el número de teléfono que quieres verificar.
enter-phone = Introducir un número de teléfono
sent-by-sms = Hemos enviado un código por SMS al { $phone }.
sent-by-voice = Te estamos llamando al { $phone } para leerte un código.
code-label = Código de verificación
code-placeholder-digits = Código de { $length } dígitos
code-placeholder-characters = Código de { $length } caracteres
verify = Verificar
checking = Comprobando…
send-new-code = Enviar un código nuevo
resend-wait = Puedes pedir un código nuevo dentro de { $seconds } s.
use-different-number = Usar otro número
new-code-sms = Hay un código nuevo en camino. Los códigos anteriores ya no sirven.
new-code-voice = Te estamos llamando. Los códigos anteriores ya no sirven.
expires-in = El código caduca en { $time }.
expired = Este código ha caducado: pide uno nuevo.
call-offer-sms = ¿Aún no tienes el código? Dentro de { $seconds } s podrás pedir que te llamemos.
call-offer-voice = ¿No te ha llegado la llamada? Dentro de { $seconds } s podremos llamarte de nuevo.
call-me = Llámame
call-me-again = Llámame de nuevo
calling = Llamando…

status-sending = Enviando…
status-sent = Enviado, esperando la entrega…
status-delivered = Entregado
status-unconfirmed = Enviado (el operador no confirmó la entrega)
status-failed = No entregado: inténtalo de nuevo o usa otro número
status-calling = Llamando…
status-answered = Llamada contestada
status-no-answer = Sin respuesta: inténtalo de nuevo
status-completed = Llamada completada
status-call-failed = La llamada falló: inténtalo de nuevo o usa otro número

verified-title = Verificado
verified-lead = El { $phone } está verificado.
sign-out = Cerrar sesión
signing-out = Cerrando sesión…

not-found-title = No encontrada
not-found-heading = Página no encontrada
not-found-link = Verificar un número de teléfono

wait-seconds = { $count ->
    [one] 1 segundo
   *[other] { $count } segundos
}
wait-minutes = { $count ->
    [one] 1 minuto
   *[other] { $count } minutos
}

error-bad_request = Algo en el formulario no era correcto. Inténtalo de nuevo.
error-invalid_phone = Eso no parece un número de teléfono. Incluye el prefijo del país, p. ej. +34 612 34 56 78.
error-invalid_code = Ese no es el código que te enviamos. Revisa sus caracteres.
error-wrong_code = Ese código no es correcto.
error-wrong_code-left = { $count ->
    [one] Ese código no es correcto. Te queda 1 intento.
   *[other] Ese código no es correcto. Te quedan { $count } intentos.
}
error-wrong_code-last = Ese código no es correcto y era el último intento. Pide un código nuevo.
error-code_expired = Este código ha caducado. Pide un código nuevo.
error-too_many_attempts = Demasiados intentos fallidos con este código. Pide un código nuevo.
error-no_pending_code = No hay ningún código pendiente para este número. Pide un código nuevo.
error-undeliverable_number = Este número no puede recibir nuestros códigos. Usa un móvil que pueda recibir SMS.
error-opted_out = Este número se ha dado de baja de nuestros SMS. Envía START a nuestro número e inténtalo de nuevo.
error-sms_unavailable = El envío de SMS no está disponible en este momento. Inténtalo más tarde.
error-sms_rate_limited = Estamos enviando demasiados mensajes ahora mismo. Inténtalo dentro de un minuto.
error-sms_failed = No hemos podido enviar el SMS. Inténtalo dentro de un minuto.
error-sms_timeout = No hemos podido enviar el SMS. Inténtalo dentro de un minuto.
error-store_unavailable = No podemos comprobar códigos ahora mismo. Inténtalo en un momento.
error-rate_limited = Demasiados intentos. Inténtalo más tarde.
error-rate_limited-wait = Demasiados intentos. Inténtalo dentro de { $wait }.
error-country_not_allowed = No podemos enviar códigos a números de este país.
error-number_not_allowed = Este tipo de número no puede recibir códigos de verificación. Usa un móvil.
error-cross_site_request = Esta solicitud venía de otro sitio y se ha rechazado.
error-overloaded = Estamos muy ocupados ahora mismo. Inténtalo en un momento.
error-invalid_api_key = La clave de la API no es válida.
error-api_key_required = Esta API necesita una clave.
error-voice_unavailable = Las llamadas no están disponibles aquí. Usa el código que te enviamos por SMS.
error-call_failed = No hemos podido llamarte ahora mismo. Inténtalo dentro de un minuto.
error-internal = Algo ha salido mal. Inténtalo de nuevo.
