from rest_framework.throttling import AnonRateThrottle


class LoginThrottle(AnonRateThrottle):
    scope = "login"


class SignupThrottle(AnonRateThrottle):
    scope = "signup"
