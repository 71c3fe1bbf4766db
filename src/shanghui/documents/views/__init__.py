"""The library's pages: ``folders`` (the back office's library: a folder, new folder, rename,
move, audience, delete, upload, zip, search), ``files`` (a file: versions, restore, preview,
share links), ``trash`` (回收站), ``member`` (members on the phone), ``share`` (a share link's
public page); ``base`` what they share."""
