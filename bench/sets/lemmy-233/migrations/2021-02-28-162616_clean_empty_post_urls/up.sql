UPDATE
    post
SET
    url = NULL
WHERE
    url = '';

