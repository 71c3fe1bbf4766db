"""Importing members from a spreadsheet: xlsx, or CSV in UTF-8 (with or without BOM) or GB18030.

The flow: upload (the file is checked at once — a real spreadsheet, not empty, no zip bomb) →
column mapping (headers matched by name and common synonyms; the secretariat may adjust) →
validation as a background job (every row through ``services.members.clean_member_input``,
the rules the form and the API use, plus duplicates inside the file and against existing
members; an error report to download, fix and upload again) → commit as a background job, all
or nothing.

The uploaded list and the error report live in the content store (``files``) and expire
after ``TASK_RETENTION_DAYS``: they hold phone lists. An import whose list expired says so and
goes no further. Validation stages the cleaned rows in a working file of the default storage
(a JSON array per chunk), so the commit does not read the spreadsheet again.

Inside its one transaction the commit computes the search and sort keys (on PostgreSQL while
the server writes the batch before; on SQLite that is ~0.5 s more of the write lock for 23,000
rows), re-checks what may have changed since validation (credit codes and member numbers taken
meanwhile) and lets the database constraints catch the rest.
The directory's search tokens of the new members and people are written after that
transaction, by the same job (``search_index.search_index_pending``): the import is done when
its transaction commits, and its members are found by a search a few seconds later.

One module per step:

- ``uploads``: the checks an upload passes before it is stored, and the limits;
- ``columns``: the column catalogue and the matching of headers to fields (``auto_map``);
- ``reader``: the ``Layout`` of a file, the ``SheetReader`` and ``inspect_upload``;
- ``files``: the uploaded list and the error report in the content store, and their expiry;
- ``cells``: reading one cell (text, dates, regions, industries, member types);
- ``checker``: ``RowChecker``, every row checked against the member rules and duplicates;
- ``report``: the error report workbook;
- ``staging``: the cleaned rows kept for the commit;
- ``states``: the states a job claims, and whether the import is still the job's own;
- ``services``: the lifecycle the pages and the API drive (access, upload, mapping, start);
- ``validation`` and ``writer``: the work of the validation job and of the commit job;
- ``tasks``: the background tasks that run them;
- ``template``: the template workbook.
"""
