"""Response headers Django has no setting for: Permissions-Policy (what browser features pages may use)."""

from django.conf import settings


class PermissionsPolicyMiddleware:
    """Adds PORTAL_PERMISSIONS_POLICY to every response that has none (a view may set its own)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.PORTAL_PERMISSIONS_POLICY
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response
