-- Update the enums
ALTER TYPE sort_type_enum
    ADD VALUE 'TopThreeMonths';

ALTER TYPE sort_type_enum
    ADD VALUE 'TopSixMonths';

ALTER TYPE sort_type_enum
    ADD VALUE 'TopNineMonths';

