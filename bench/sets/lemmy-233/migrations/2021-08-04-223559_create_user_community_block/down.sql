DROP TABLE person_block;

DROP TABLE community_block;

