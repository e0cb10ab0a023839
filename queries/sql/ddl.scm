; CREATE TABLE and CREATE INDEX statements at the top level of a SQL file
; (not inside function bodies). The extractor reads the table or index name
; (object_reference), and hands each column definition, table constraint and
; index field to the same token-level reader the fallback uses, so a
; statement reads the same whether the grammar or the fallback parsed it.
;
;   @table  a create_table
;   @index  a create_index
(program
  (statement
    (create_table) @table))

(program
  (statement
    (create_index) @index))
