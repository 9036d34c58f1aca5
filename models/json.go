package models

import "encoding/json"

// mustJSON encodes a value the program built itself (never user-shaped types
// that could fail to encode), for JSON columns updated through a map.
func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("encode JSON column: " + err.Error())
	}
	return string(b)
}
