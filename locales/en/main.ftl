# The app's pages, in English. Every other locale has every key (a test checks).
page-title = Verify your phone number
language = Language

home-heading = Verify your phone number
home-continue-to = Verify your phone number to continue to { $client }.
home-lead = We'll text you a one-time code.
phone-label = Phone number
phone-placeholder = (212) 555-0123 or +44 20 7183 8750
send-code = Send code
sending = Sending…

verify-title = Enter your code
no-number-heading = No number yet
no-number-lead = Start by entering the phone number to verify.
enter-phone = Enter a phone number
sent-by-sms = We texted a code to { $phone }.
sent-by-voice = We're calling { $phone } to read you a code.
code-label = Verification code
code-placeholder-digits = { $length }-digit code
code-placeholder-characters = { $length }-character code
verify = Verify
checking = Checking…
send-new-code = Send a new code
resend-wait = You can ask for a new code in { $seconds } s.
use-different-number = Use a different number
new-code-sms = A new code is on its way. Earlier codes no longer work.
new-code-voice = We're calling you now. Earlier codes no longer work.
expires-in = The code expires in { $time }.
expired = This code has expired: send a new one.
call-offer-sms = No code yet? In { $seconds } s you can ask us to call you instead.
call-offer-voice = No call? In { $seconds } s we can call you again.
call-me = Call me instead
call-me-again = Call me again
calling = Calling…

status-sending = Sending…
status-sent = Sent, waiting for delivery…
status-delivered = Delivered
status-unconfirmed = Sent (the carrier did not confirm delivery)
status-failed = Not delivered: try again or use another number
status-calling = Calling…
status-answered = Call answered
status-no-answer = No answer: try again
status-completed = Call completed
status-call-failed = The call failed: try again or use another number

verified-title = Verified
verified-lead = { $phone } is verified.
sign-out = Sign out
signing-out = Signing out…

not-found-title = Not found
not-found-heading = Page not found
not-found-link = Verify a phone number

wait-seconds = { $count ->
    [one] 1 second
   *[other] { $count } seconds
}
wait-minutes = { $count ->
    [one] 1 minute
   *[other] { $count } minutes
}

error-bad_request = Something in the form was not right. Please try again.
error-invalid_phone = That doesn't look like a phone number. Include the country code, e.g. +44 20 7183 8750.
error-invalid_code = That isn't the code we sent you. Check its characters.
error-wrong_code = That code is not right.
error-wrong_code-left = { $count ->
    [one] That code is not right. 1 attempt left.
   *[other] That code is not right. { $count } attempts left.
}
error-wrong_code-last = That code is not right, and that was the last try. Request a new code.
error-code_expired = This code has expired. Request a new code.
error-too_many_attempts = Too many wrong attempts for this code. Request a new code.
error-no_pending_code = There is no code waiting for this number. Request a new code.
error-undeliverable_number = This number can't receive our codes. Use a mobile number that can receive text messages.
error-opted_out = This number has opted out of our text messages. Text START to our number, then try again.
error-sms_unavailable = SMS is temporarily unavailable. Please try again later.
error-sms_rate_limited = We're sending too many messages right now. Please try again in a minute.
error-sms_failed = We couldn't send the text message. Please try again in a minute.
error-sms_timeout = We couldn't send the text message. Please try again in a minute.
error-store_unavailable = We can't check codes right now. Please try again in a moment.
error-rate_limited = Too many attempts. Try again later.
error-rate_limited-wait = Too many attempts. Try again in { $wait }.
error-country_not_allowed = We can't send codes to numbers in this country.
error-number_not_allowed = This kind of number can't receive verification codes. Use a mobile number.
error-cross_site_request = This request came from another site and was refused.
error-overloaded = We're very busy right now. Please try again in a moment.
error-invalid_api_key = The API key is not valid.
error-api_key_required = This API needs a key.
error-voice_unavailable = Calls are not available here. Use the code we text you.
error-call_failed = We couldn't call you right now. Please try again in a minute.
error-internal = Something went wrong. Please try again.
