package models

// The few SQL spellings that differ between SQLite and PostgreSQL. Everything
// else the models write is SQL both understand.

// stringAgg is the aggregate joining a group's values of expr with spaces.
func (d Dialect) stringAgg(expr string) string {
	if d == Postgres {
		return "string_agg(" + expr + ", ' ')"
	}
	return "group_concat(" + expr + ", ' ')"
}

// containsParam is a condition true when expr holds the text bound to its
// one parameter, without LIKE's wildcards.
func (d Dialect) containsParam(expr string) string {
	if d == Postgres {
		return "strpos(" + expr + ", ?) > 0"
	}
	return "instr(" + expr + ", ?) > 0"
}

// orderedJoin is an inner join that keeps the tables before it as the outer
// loop. SQLite's planner takes CROSS JOIN as that instruction; PostgreSQL
// plans an inner join by its statistics, and CROSS JOIN there takes no ON.
func (d Dialect) orderedJoin() string {
	if d == Postgres {
		return "JOIN"
	}
	return "CROSS JOIN"
}
