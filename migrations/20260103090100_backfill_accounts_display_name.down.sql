-- Nothing to undo: the expand step's down drops the column.
SELECT 1;
