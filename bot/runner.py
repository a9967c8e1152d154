"""Start and stop the Application inside a running event loop (the shell and the tests)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.app import ALLOWED_UPDATES, App


@dataclass(frozen=True)
class Webhook:
    listen: str
    port: int
    url: str
    secret: str | None


async def start(application: App, webhook: Webhook | None = None) -> None:
    """What run_polling / run_webhook do, minus owning the loop: init, post_init, updates."""
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    updater = application.updater
    assert updater is not None
    if webhook is None:
        await updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=ALLOWED_UPDATES)
    else:
        await updater.start_webhook(
            listen=webhook.listen,
            port=webhook.port,
            url_path=webhook.url.rsplit("/", 1)[-1],
            webhook_url=webhook.url,
            secret_token=webhook.secret,
            allowed_updates=ALLOWED_UPDATES,
        )
    await application.start()


async def stop(application: App) -> None:
    updater = application.updater
    if updater is not None and updater.running:
        await updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)
