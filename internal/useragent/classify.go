// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package useragent // import "github.com/otelcol-rum/otelcol-rum/internal/useragent"

import (
	"strings"

	"github.com/ua-parser/uap-go/uaparser"

	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
)

// uap's families for "nothing more specific": a crawler's device, the device of a
// string that names none, and the placeholder model of Chrome's reduced User-Agent
// ("Linux; Android 10; K"), which every Android Chrome now sends.
const (
	uapOther  = "Other"
	uapSpider = "Spider"
	uapK      = "K"
)

// genericModels are device families that name a kind of device rather than a model.
var genericModels = map[string]bool{
	"":                      true,
	uapOther:                true,
	uapSpider:               true,
	uapK:                    true,
	"Generic Smartphone":    true,
	"Generic Tablet":        true,
	"Generic Feature Phone": true,
}

// mobileOSes are operating systems that run on phones (and on tablets, told apart first).
var mobileOSes = map[string]bool{
	"iOS": true, "Android": true, "Windows Phone": true, "BlackBerry OS": true,
	"KaiOS": true, "Firefox OS": true, "Tizen": true, "HarmonyOS": true,
}

func classify(ua string, agent *uaparser.UserAgent, os *uaparser.Os, device *uaparser.Device) Agent {
	a := Agent{
		Name:      agent.Family,
		Version:   agent.ToVersionString(),
		OSName:    os.Family,
		OSVersion: os.ToVersionString(),
		Bot:       device.Family == uapSpider,
	}
	a.DeviceType = deviceType(ua, a.Bot, os, device)
	if !a.Bot && !genericModels[device.Family] {
		a.DeviceModel = device.Family
	}
	return a
}

// deviceType tells a crawler, a tablet, a phone and anything else (a desktop): uap
// names crawlers' devices Spider; tablets by their device (iPad, Kindle, or what its
// rules call an Android tablet) or by the token Firefox sends; phones by the "Mobi" token
// browsers use for them, or their device or operating system. Android browsers leave
// "Mobile" out on tablets, which is what uap's Generic_Android_Tablet brand says. An
// iPad that asks for desktop sites says Macintosh and reads as a desktop: the string
// cannot tell them apart.
func deviceType(ua string, bot bool, os *uaparser.Os, device *uaparser.Device) string {
	switch {
	case bot:
		return rumconv.DeviceBot
	case device.Family == "iPad" || device.Family == "Kindle" ||
		strings.Contains(device.Brand, "Tablet") || strings.Contains(ua, "Tablet"):
		return rumconv.DeviceTablet
	case os.Family == "Android" && !strings.Contains(ua, "Mobi"):
		return rumconv.DeviceTablet
	case strings.Contains(ua, "Mobi") || device.Family == "iPhone" || device.Family == "iPod" ||
		mobileOSes[os.Family]:
		return rumconv.DeviceMobile
	default:
		return rumconv.DeviceDesktop
	}
}
