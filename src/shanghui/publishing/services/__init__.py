"""The publishing app's changes: ``articles`` (drafts, review, publishing and scheduling,
unpublishing, pinning, deleting, revisions, the portal's copy), ``images`` (pictures for
articles), ``categories`` (an association's news categories and its portal opt-in),
``wechat`` (importing an article from a 公众号 link or pasted HTML)."""
