"""Pages and scripts for visitors: the website chat widget and the kiosk chat, served by the web service."""
