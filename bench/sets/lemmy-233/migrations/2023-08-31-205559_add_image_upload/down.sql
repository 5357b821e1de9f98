DROP TABLE image_upload;

