/*
 * vsensord: persistent per-device settings. The configuration
 * (vsensord.conf, then each *.conf of conf.d in lexical order, parsed with
 * libinih) holds [defaults] and [match serial=|name=|model=GLOB]
 * sections; the state file holds what `vsensorctl device set --persist`
 * stored, one [device IDENTITY] section each. A device's settings are the
 * defaults, then each matching section in order, then its persisted ones.
 */
#ifndef VSENSORD_SETTINGS_H
#define VSENSORD_SETTINGS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The device settings of netlink DEVICE_SET, in the order they are logged. */
enum settings_key {
	SETTING_WAVEFORM,	/* "waveform": sine|square|ramp|noise */
	SETTING_AMPLITUDE,	/* "amplitude": 0..VSENSOR_AMPLITUDE_MAX */
	SETTING_FREQUENCY,	/* "frequency_mhz": FREQUENCY_MIN..MAX */
	NR_SETTINGS
};

/* Values of some settings: value[k] counts only where set[k]. */
struct settings_values {
	bool set[NR_SETTINGS];
	uint32_t value[NR_SETTINGS];
};

/* Where a configuration is wrong: "file:line: message". */
struct settings_error {
	char file[PATH_MAX];
	int line;		/* 0 when the file as a whole is wrong */
	char message[256];
};

/* What a device is matched on. */
struct settings_device {
	const char *identity;	/* serial, else ID_PATH, else name */
	const char *serial;	/* may be NULL */
	const char *name;	/* "vsensor3" */
	const char *model;	/* may be NULL */
};

/* One parsed configuration plus the persisted settings. */
struct settings;

/*
 * Parse @conf_file (missing is fine: no settings), every *.conf in
 * @conf_dir (missing is fine) and @state_file (missing is fine). NULL with
 * *err filled on the first error.
 */
struct settings *settings_load(const char *conf_file, const char *conf_dir,
			       const char *state_file,
			       struct settings_error *err);
void settings_free(struct settings *settings);

/* The settings that apply to @dev. */
void settings_resolve(const struct settings *settings,
		      const struct settings_device *dev,
		      struct settings_values *values);

/*
 * Merge @values into what is persisted for @identity and write the state
 * file (temporary file, fsync, rename, fsync of the directory). On failure
 * nothing changes, in memory or on disk: -errno.
 */
int settings_persist(struct settings *settings, const char *identity,
		     const struct settings_values *values);

/*
 * One "key = value": 0 and *key, *value; -EINVAL with *why set ("unknown
 * key", "amplitude: 2000000 is out of range 0..1000000", ...).
 */
int settings_parse(const char *key, const char *value, enum settings_key *k,
		   uint32_t *v, const char **why);
/* "waveform", ... */
const char *settings_key_name(enum settings_key k);
/* The value as the configuration writes it ("square", "500"). */
void settings_format(enum settings_key k, uint32_t v, char *buf, size_t len);
/* The VSENSOR_A_DEV_* attribute of DEVICE_SET for @k. */
unsigned int settings_key_attr(enum settings_key k);

#endif /* VSENSORD_SETTINGS_H */
