/* fangzha: the umbrella header of the embeddable API. */
#ifndef FANGZHA_FZ_H
#define FANGZHA_FZ_H

#include "fangzha/core.h"
#include "fangzha/calls.h"
#include "fangzha/extract.h"
#include "fangzha/model.h"
#include "fangzha/rules.h"
#include "fangzha/screen.h"
#include "fangzha/phone.h"
#include "fangzha/text.h"
#include "fangzha/url.h"

#endif
