-- Drop the alias views
DROP VIEW person_alias_1, person_alias_2;

