DROP TABLE mod_transfer_community;

