DROP TABLE remote_image;

ALTER TABLE local_image RENAME TO image_upload;

