"""The top floor: what looks across the apps — the page shell and its navigation (each app
contributes its entries through ``core.contributions``), the home, privacy and language
pages, the job pages, the back office's 工作台, the API's assembly, and the commands that
orchestrate several apps (``seed_demo``). Nothing below imports it."""
