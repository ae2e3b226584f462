# As páginas da aplicação, em português.
page-title = Verifique o seu número de telefone
language = Idioma

home-heading = Verifique o seu número de telefone
home-continue-to = Verifique o seu número de telefone para continuar em { $client }.
home-lead = Vamos enviar-lhe um código de uso único por SMS.
phone-label = Número de telefone
phone-placeholder = 912 345 678 ou +351 912 345 678
send-code = Enviar código
sending = A enviar…

verify-title = Introduza o seu código
no-number-heading = Ainda sem número
no-number-lead = Comece por introduzir o número de telefone a verificar.
enter-phone = Introduzir um número de telefone
sent-by-sms = Enviámos um código por SMS para { $phone }.
sent-by-voice = Estamos a ligar para { $phone } para lhe ler um código.
code-label = Código de verificação
code-placeholder-digits = Código de { $length } dígitos
code-placeholder-characters = Código de { $length } caracteres
verify = Verificar
checking = A verificar…
send-new-code = Enviar um novo código
resend-wait = Pode pedir um novo código dentro de { $seconds } s.
use-different-number = Usar outro número
new-code-sms = Um novo código está a caminho. Os códigos anteriores deixaram de funcionar.
new-code-voice = Estamos a ligar-lhe agora. Os códigos anteriores deixaram de funcionar.
expires-in = O código expira dentro de { $time }.
expired = Este código expirou: peça um novo.
call-offer-sms = Ainda sem código? Dentro de { $seconds } s pode pedir que lhe liguemos.
call-offer-voice = Sem chamada? Dentro de { $seconds } s podemos voltar a ligar-lhe.
call-me = Liguem-me
call-me-again = Liguem-me de novo
calling = A ligar…

status-sending = A enviar…
status-sent = Enviado, a aguardar entrega…
status-delivered = Entregue
status-unconfirmed = Enviado (a operadora não confirmou a entrega)
status-failed = Não entregue: tente de novo ou use outro número
status-calling = A ligar…
status-answered = Chamada atendida
status-no-answer = Sem resposta: tente de novo
status-completed = Chamada concluída
status-call-failed = A chamada falhou: tente de novo ou use outro número

verified-title = Verificado
verified-lead = O número { $phone } está verificado.
sign-out = Terminar sessão
signing-out = A terminar sessão…

not-found-title = Não encontrada
not-found-heading = Página não encontrada
not-found-link = Verificar um número de telefone

wait-seconds = { $count ->
    [one] 1 segundo
   *[other] { $count } segundos
}
wait-minutes = { $count ->
    [one] 1 minuto
   *[other] { $count } minutos
}

error-bad_request = Algo no formulário não estava certo. Tente de novo.
error-invalid_phone = Isso não parece um número de telefone. Inclua o indicativo do país, p. ex. +351 912 345 678.
error-invalid_code = Esse não é o código que lhe enviámos. Verifique os caracteres.
error-wrong_code = Esse código não está certo.
error-wrong_code-left = { $count ->
    [one] Esse código não está certo. Resta 1 tentativa.
   *[other] Esse código não está certo. Restam { $count } tentativas.
}
error-wrong_code-last = Esse código não está certo e era a última tentativa. Peça um novo código.
error-code_expired = Este código expirou. Peça um novo código.
error-too_many_attempts = Demasiadas tentativas erradas para este código. Peça um novo código.
error-no_pending_code = Não há nenhum código à espera para este número. Peça um novo código.
error-undeliverable_number = Este número não pode receber os nossos códigos. Use um telemóvel que receba SMS.
error-opted_out = Este número cancelou as nossas SMS. Envie START para o nosso número e tente de novo.
error-sms_unavailable = O envio de SMS está temporariamente indisponível. Tente mais tarde.
error-sms_rate_limited = Estamos a enviar demasiadas mensagens neste momento. Tente dentro de um minuto.
error-sms_failed = Não conseguimos enviar a SMS. Tente dentro de um minuto.
error-sms_timeout = Não conseguimos enviar a SMS. Tente dentro de um minuto.
error-store_unavailable = Não conseguimos verificar códigos neste momento. Tente daqui a pouco.
error-rate_limited = Demasiadas tentativas. Tente mais tarde.
error-rate_limited-wait = Demasiadas tentativas. Tente dentro de { $wait }.
error-country_not_allowed = Não podemos enviar códigos para números deste país.
error-number_not_allowed = Este tipo de número não pode receber códigos de verificação. Use um telemóvel.
error-cross_site_request = Este pedido veio de outro site e foi recusado.
error-overloaded = Estamos muito ocupados neste momento. Tente daqui a pouco.
error-invalid_api_key = A chave da API não é válida.
error-api_key_required = Esta API precisa de uma chave.
error-voice_unavailable = As chamadas não estão disponíveis aqui. Use o código que lhe enviamos por SMS.
error-call_failed = Não conseguimos ligar-lhe agora. Tente dentro de um minuto.
error-internal = Algo correu mal. Tente de novo.
