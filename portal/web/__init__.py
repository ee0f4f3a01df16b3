"""Web plumbing shared by every area: errors, security headers, compression, i18n, templating,
navigation, health, list filters, form fields, the action runner and absolute links."""
