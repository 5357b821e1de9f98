DROP TABLE person_post_aggregates;

