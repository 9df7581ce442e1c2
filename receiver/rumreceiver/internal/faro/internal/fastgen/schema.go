// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// schema is what the wire types say about decoding: for each struct that needs a reader,
// its JSON keys and how each is read.
type schema struct {
	pkg     string
	source  string // the file the schema was read from, for the generated file's header
	objects []object
}

// object is one struct type and the keys of its JSON object, in declaration order, the
// fields of embedded structs in the place of the embedding (encoding/json promotes them).
type object struct {
	name   string
	fields []field
}

type field struct {
	key  string // the JSON key
	path string // the Go selector from the struct, e.g. "ItemBase.Timestamp"
	read reader
}

// readerKind is how a field's value is read.
type readerKind int

const (
	readLeaf    readerKind = iota // a jsonfast reader or a helper of fast.go, expr
	readObject                    // a struct of the wire types, by value: read<T>(it, &field)
	readPointer                   // *T of a struct: readPtr(it, read<T>)
	readList                      // []T of a struct: readItems(it, read<T>)
	readCustom                    // a named type of the package with its own UnmarshalJSON: read<T>(it), hand-written in fast.go
)

type reader struct {
	kind readerKind
	expr string // readLeaf: the expression that reads the value
	typ  string // the other kinds: the Go type the reader is named after
}

// leafReaders are the field types read by one expression, keyed by the Go type as written.
// Each mirrors what encoding/json does for the type, and declines where it could differ.
var leafReaders = map[string]string{
	"string":             "jf.String(it)",
	"int64":              "jf.Int(it)",
	"float64":            "jf.Float(it)",
	"*bool":              "jf.Bool(it)",
	"json.RawMessage":    "jf.Raw(it)",
	"map[string]float64": "readFloatMap(it)",
}

// maxKeys is how many keys jsonfast.Object can track for repeats (a bit each in a uint64).
const maxKeys = 64

// parseSchema reads the struct types of one Go file.
func parseSchema(filename string, src []byte) (*schema, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filename, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	structs := map[string]*ast.StructType{}
	var order []string
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, spec := range gd.Specs {
			ts := spec.(*ast.TypeSpec)
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				continue
			}
			if ts.TypeParams != nil || ts.Assign.IsValid() {
				return nil, fmt.Errorf("%s: generic structs and aliases are not supported", ts.Name.Name)
			}
			structs[ts.Name.Name] = st
			order = append(order, ts.Name.Name)
		}
	}

	s := &schema{pkg: f.Name.Name, source: filename}
	embeddedOnly := embeddedOnlyStructs(structs)
	for _, name := range order {
		if embeddedOnly[name] {
			continue // its keys are read by the readers of the structs that embed it
		}
		fields, err := flatten(structs, name, "", nil)
		if err != nil {
			return nil, err
		}
		if err := checkKeys(name, fields); err != nil {
			return nil, err
		}
		s.objects = append(s.objects, object{name: name, fields: fields})
	}
	return s, nil
}

// embeddedOnlyStructs are the structs that are embedded in others and never the type of a
// named field: they need no reader of their own.
func embeddedOnlyStructs(structs map[string]*ast.StructType) map[string]bool {
	embedded, named := map[string]bool{}, map[string]bool{}
	for _, st := range structs {
		for _, fl := range st.Fields.List {
			if len(fl.Names) == 0 {
				if id, ok := fl.Type.(*ast.Ident); ok {
					embedded[id.Name] = true
				}
				continue
			}
			ast.Inspect(fl.Type, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok {
					named[id.Name] = true
				}
				return true
			})
		}
	}
	out := map[string]bool{}
	for name := range embedded {
		if !named[name] {
			out[name] = true
		}
	}
	return out
}

// flatten lists the JSON fields of struct name; prefix is the Go path to it, inside is the
// chain of structs being embedded (to refuse a cycle).
func flatten(structs map[string]*ast.StructType, name, prefix string, inside []string) ([]field, error) {
	if slices.Contains(inside, name) {
		return nil, fmt.Errorf("%s: embeds itself", name)
	}
	inside = append(inside, name)
	var out []field
	for _, fl := range structs[name].Fields.List {
		key, skip, err := jsonKey(fl.Tag)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if len(fl.Names) == 0 {
			id, ok := fl.Type.(*ast.Ident)
			if !ok || structs[id.Name] == nil {
				return nil, fmt.Errorf("%s: embedded %s: only a struct of this file, by value, can be embedded", name, types.ExprString(fl.Type))
			}
			if skip {
				continue
			}
			if key != "" {
				return nil, fmt.Errorf("%s: embedded %s has a json name: not supported", name, id.Name)
			}
			sub, err := flatten(structs, id.Name, prefix+id.Name+".", inside)
			if err != nil {
				return nil, err
			}
			out = append(out, sub...)
			continue
		}
		for _, n := range fl.Names {
			if !n.IsExported() || skip {
				continue // encoding/json does not read these either
			}
			r, err := readerFor(structs, fl.Type)
			if err != nil {
				return nil, fmt.Errorf("%s.%s: %w", name, n.Name, err)
			}
			k := key
			if k == "" {
				k = n.Name
			}
			out = append(out, field{key: k, path: prefix + n.Name, read: r})
		}
	}
	return out, nil
}

// jsonKey reads a field's json tag: the key it names ("" for the field's name) and whether
// encoding/json skips the field ("-").
func jsonKey(tag *ast.BasicLit) (key string, skip bool, err error) {
	if tag == nil {
		return "", false, nil
	}
	text, err := strconv.Unquote(tag.Value)
	if err != nil {
		return "", false, err
	}
	value, ok := reflect.StructTag(text).Lookup("json")
	if !ok {
		return "", false, nil
	}
	if value == "-" {
		return "", true, nil
	}
	key, options, _ := strings.Cut(value, ",")
	for opt := range strings.SplitSeq(options, ",") {
		switch opt {
		case "", "omitempty", "omitzero":
		default:
			return "", false, fmt.Errorf("json tag %q: option %q is not supported", value, opt)
		}
	}
	if key != "" && !validKey(key) {
		// encoding/json would quietly use the field's name instead.
		return "", false, fmt.Errorf("json tag %q: not a valid key", value)
	}
	return key, false, nil
}

// validKey is encoding/json's rule for a key named in a tag.
func validKey(key string) bool {
	for _, c := range key {
		if !strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c) && !unicode.IsLetter(c) && !unicode.IsDigit(c) {
			return false
		}
	}
	return true
}

// readerFor chooses how a field of type expr is read.
func readerFor(structs map[string]*ast.StructType, expr ast.Expr) (reader, error) {
	written := types.ExprString(expr)
	if e, ok := leafReaders[written]; ok {
		return reader{kind: readLeaf, expr: e}, nil
	}
	switch t := expr.(type) {
	case *ast.Ident:
		if structs[t.Name] != nil {
			return reader{kind: readObject, typ: t.Name}, nil
		}
		if types.Universe.Lookup(t.Name) == nil {
			return reader{kind: readCustom, typ: t.Name}, nil
		}
	case *ast.StarExpr:
		if id, ok := t.X.(*ast.Ident); ok && structs[id.Name] != nil {
			return reader{kind: readPointer, typ: id.Name}, nil
		}
	case *ast.ArrayType:
		if id, ok := t.Elt.(*ast.Ident); ok && t.Len == nil && structs[id.Name] != nil {
			return reader{kind: readList, typ: id.Name}, nil
		}
	}
	return reader{}, fmt.Errorf("no fast reader for type %s: add one to fastgen's leafReaders (and jsonfast), or make it a named type with a hand-written reader in fast.go", written)
}

// checkKeys refuses what jsonfast.Object cannot track and what encoding/json resolves by
// rules the fast decoder does not copy (a key given by two fields).
func checkKeys(name string, fields []field) error {
	if len(fields) > maxKeys {
		return fmt.Errorf("%s: %d keys, jsonfast.Object tracks at most %d", name, len(fields), maxKeys)
	}
	seen := map[string]string{}
	var errs []error
	for _, f := range fields {
		if other, dup := seen[f.key]; dup {
			errs = append(errs, fmt.Errorf("%s: key %q is both %s and %s", name, f.key, other, f.path))
		}
		seen[f.key] = f.path
	}
	return errors.Join(errs...)
}
