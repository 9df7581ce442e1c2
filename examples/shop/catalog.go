// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package main

import "slices"

// product is one item of the demo catalogue. The data is fixed: the shop
// exists to produce realistic browser and backend telemetry, not to sell.
type product struct {
	ID          string
	Name        string
	Price       string
	Description string
}

var catalog = []product{
	{"1", "Trail Runner 3000", "129.90 EUR", "A light trail shoe with a breathable mesh upper, a responsive foam midsole and a grippy outsole for muddy paths."},
	{"2", "City Commuter Backpack", "89.00 EUR", "Twenty litres, a padded laptop sleeve, a rain cover tucked into the base and reflective strips for dark evenings."},
	{"3", "Insulated Bottle", "24.50 EUR", "Keeps drinks cold for a day and hot for half of one. Double steel walls, a leak-proof lid and a loop to clip it on."},
	{"7", "Merino Running Socks", "16.00 EUR", "Three pairs of cushioned merino socks that stay dry on long runs and do not smell after the second one."},
	{"42", "Headlamp 400", "39.90 EUR", "Four hundred lumens, a red night mode, USB-C charging and a strap that stays put on bumpy trails."},
}

func findProduct(id string) (product, bool) {
	i := slices.IndexFunc(catalog, func(p product) bool { return p.ID == id })
	if i < 0 {
		return product{}, false
	}
	return catalog[i], true
}
