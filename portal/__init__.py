"""The service-centre portal: site settings, home page, accounts and shared building blocks."""
