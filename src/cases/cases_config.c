/* cases_config.c — the local rules of city management as configuration with defaults: the
 * services residents may report (with time limits, public flag and Open311 attributes), the
 * team kinds, the chiefs' duties and patrol frequencies, the service area, limits of photos
 * and of anonymous Open311 reports, and the "8个100%" checklist's eighth item. */
#include "cases.h"

#include <math.h>
#include <string.h>

const chief_level chief_levels[3] = {
    {"general", "总路长", "chief of the road (district leader)"},
    {"first", "一级路长", "first-level road chief"},
    {"second", "二级路长", "second-level road chief"},
};

const chief_level *chief_level_find(const char *code)
{
    for (size_t i = 0; code && i < JC_NELEM(chief_levels); i++)
        if (strcmp(chief_levels[i].code, code) == 0) return &chief_levels[i];
    return NULL;
}

/* The services of 陇海马路街道's city management (数字城管 categories as a sub-district uses
 * them). "team" names the kind of team that handles a case, "duty" the chief's duty. */
static const char DEFAULT_SERVICES[] =
    "["
    "{\"code\":\"litter\",\"name\":\"暴露垃圾\",\"name_en\":\"Exposed rubbish\","
    "\"group\":\"市容环境\",\"description\":\"道路、绿地、背街小巷的暴露垃圾和垃圾堆放\","
    "\"keywords\":\"垃圾,堆放,卫生\",\"limit_hours\":24,\"public\":true,\"team\":\"卫生清洁\","
    "\"duty\":\"包卫生\"},"
    "{\"code\":\"road_dirty\",\"name\":\"路面不洁\",\"name_en\":\"Dirty road surface\","
    "\"group\":\"市容环境\",\"description\":\"路面油污、积水、泥土撒漏\",\"keywords\":\"油污,"
    "积水,撒漏\",\"limit_hours\":24,\"public\":true,\"team\":\"卫生清洁\",\"duty\":\"包卫生\"},"
    "{\"code\":\"street_vendor\",\"name\":\"占道经营\",\"name_en\":\"Street vending\","
    "\"group\":\"街面秩序\",\"description\":\"流动摊贩、占用道路经营\",\"keywords\":\"摊贩,"
    "占道\",\"limit_hours\":12,\"public\":true,\"team\":\"综合执法\",\"duty\":\"包秩序\"},"
    "{\"code\":\"shop_overflow\",\"name\":\"店外经营\",\"name_en\":\"Business outside the shop\","
    "\"group\":\"街面秩序\",\"description\":\"商户超出门窗外墙经营、堆放物品\",\"keywords\":"
    "\"出店,堆放\",\"limit_hours\":48,\"public\":true,\"team\":\"综合执法\",\"duty\":\"包秩序\"},"
    "{\"code\":\"parking\",\"name\":\"非机动车乱停放\",\"name_en\":\"Badly parked bicycles and "
    "e-bikes\",\"group\":\"街面秩序\",\"description\":\"共享单车、电动车占用盲道和人行道\","
    "\"keywords\":\"单车,电动车,停放\",\"limit_hours\":12,\"public\":true,\"team\":\"日常巡逻\","
    "\"duty\":\"包秩序\",\"attributes\":[{\"code\":\"vehicle\",\"datatype\":\"singlevaluelist\","
    "\"required\":true,\"description\":\"车辆类型\",\"order\":1,\"values\":[{\"key\":"
    "\"shared_bike\",\"name\":\"共享单车\"},{\"key\":\"ebike\",\"name\":\"电动自行车\"},{\"key\":"
    "\"tricycle\",\"name\":\"三轮车\"}]}]},"
    "{\"code\":\"posters\",\"name\":\"小广告乱张贴\",\"name_en\":\"Illegal posters\","
    "\"group\":\"立面秩序\",\"description\":\"墙面、电线杆、公共设施上的小广告和涂写\","
    "\"keywords\":\"小广告,涂写\",\"limit_hours\":48,\"public\":true,\"team\":\"卫生清洁\","
    "\"duty\":\"包立面\"},"
    "{\"code\":\"facade\",\"name\":\"门头牌匾破损\",\"name_en\":\"Damaged shop signs and "
    "facades\",\"group\":\"立面秩序\",\"description\":"
    "\"门头牌匾、空调外机、立面破损或存在安全隐患\","
    "\"keywords\":\"牌匾,立面\",\"limit_hours\":120,\"public\":true,\"team\":\"综合执法\","
    "\"duty\":\"包立面\"},"
    "{\"code\":\"road_damage\",\"name\":\"道路及井盖破损\",\"name_en\":\"Damaged road or manhole "
    "cover\",\"group\":\"市政设施\",\"description\":\"路面坑洼、井盖缺失或破损、路沿石损坏\","
    "\"keywords\":\"井盖,坑洼\",\"limit_hours\":72,\"public\":true,\"team\":\"综合执法\","
    "\"duty\":\"包秩序\",\"attributes\":[{\"code\":\"kind\",\"datatype\":\"singlevaluelist\","
    "\"required\":true,\"description\":\"破损类型\",\"order\":1,\"values\":[{\"key\":\"manhole\","
    "\"name\":\"井盖缺失或破损\"},{\"key\":\"pothole\",\"name\":\"路面坑洼\"},{\"key\":\"curb\","
    "\"name\":\"路沿石损坏\"}]},{\"code\":\"width_m\",\"datatype\":\"number\",\"required\":false,"
    "\"description\":\"破损宽度(米)\",\"order\":2}]},"
    "{\"code\":\"dust\",\"name\":\"工地扬尘及渣土撒漏\",\"name_en\":\"Construction dust and "
    "spilled muck\",\"group\":\"扬尘治理\",\"description\":\"工地扬尘、渣土车撒漏、未覆盖裸土\","
    "\"keywords\":\"扬尘,渣土\",\"limit_hours\":24,\"public\":true,\"team\":\"综合执法\","
    "\"duty\":\"包卫生\",\"attributes\":[{\"code\":\"site_name\",\"datatype\":\"string\","
    "\"required\":false,\"description\":\"工地名称\",\"order\":1}]},"
    "{\"code\":\"site_rectification\",\"name\":\"工地“8个100%”整改\",\"name_en\":\"Construction "
    "site rectification (8 × 100 %)\",\"group\":\"扬尘治理\",\"description\":\"工地检查不合格项的"
    "整改\",\"keywords\":\"8个100%,整改\",\"limit_hours\":72,\"public\":false,\"team\":"
    "\"综合执法\","
    "\"duty\":\"包卫生\"},"
    "{\"code\":\"other\",\"name\":\"其他城市管理问题\",\"name_en\":\"Other city management "
    "problem\",\"group\":\"其他\",\"description\":\"以上类别以外的城市管理问题\",\"keywords\":"
    "\"其他\",\"limit_hours\":72,\"public\":true,\"team\":\"日常巡逻\",\"duty\":\"包秩序\"}"
    "]";

static const char DEFAULT_AREA[] =
    "{\"name\":\"郑州市\",\"min_lat\":34.26,\"max_lat\":34.98,\"min_lng\":112.70,"
    "\"max_lng\":114.23}";

static const char *const FREQUENCIES[] = {"day", "week", "half_month", "month", NULL};
static const char *const DATATYPES[] = {"string",          "number",         "datetime", "text",
                                        "singlevaluelist", "multivaluelist", NULL};

static bool in_list(const char *const *list, const char *s)
{
    for (; s && *list; list++)
        if (strcmp(*list, s) == 0) return true;
    return false;
}

static int bad_value(jc_ctx *c, const char *en, const char *zh)
{
    return jc_fail(c, JC_EINVAL, "invalid_field", "value", en, zh);
}

static bool is_text(json_t *v, size_t max)
{
    return json_is_string(v) && json_string_length(v) > 0 && json_string_length(v) <= max &&
           !jc_has_control(json_string_value(v));
}

static bool code_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 40) return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
              s[i] == '-'))
            return false;
    return true;
}

static int check_attributes(jc_ctx *c, json_t *attrs, const char *svc)
{
    if (!attrs) return JC_OK;
    if (!json_is_array(attrs) || json_array_size(attrs) > 20)
        return bad_value(c, arena_printf(c->a, "%s: attributes must be a list of at most 20", svc),
                         arena_printf(c->a, "%s:附加属性须为不超过20项的列表", svc));
    size_t i;
    json_t *a;
    json_array_foreach(attrs, i, a)
    {
        json_t *code = json_object_get(a, "code"), *dt = json_object_get(a, "datatype");
        json_t *req = json_object_get(a, "required"), *vals = json_object_get(a, "values");
        if (!json_is_object(a) || !is_text(code, 40) || !code_ok(json_string_value(code)) ||
            !json_is_string(dt) || !in_list(DATATYPES, json_string_value(dt)) ||
            (req && !json_is_boolean(req)) || !is_text(json_object_get(a, "description"), 200))
            return bad_value(
                c,
                arena_printf(c->a,
                             "%s: every attribute needs code, datatype (string, number, datetime, "
                             "text, singlevaluelist, multivaluelist) and description",
                             svc),
                arena_printf(c->a, "%s:附加属性须有 code、datatype 和 description", svc));
        bool list = strstr(json_string_value(dt), "list") != NULL;
        if (list && (!json_is_array(vals) || json_array_size(vals) == 0))
            return bad_value(c, arena_printf(c->a, "%s: a list attribute needs values", svc),
                             arena_printf(c->a, "%s:列表型属性须列出可选值", svc));
        size_t k;
        json_t *v;
        json_array_foreach(
            vals, k,
            v) if (!is_text(json_object_get(v, "key"), 40) ||
                   !is_text(
                       json_object_get(v, "name"),
                       100)) return bad_value(c,
                                              arena_printf(
                                                  c->a, "%s: every value needs key and name", svc),
                                              arena_printf(c->a, "%s:每个可选值须有 key 和 name",
                                                           svc));
    }
    return JC_OK;
}

static int check_services(jc_ctx *c, json_t *value)
{
    if (!json_is_array(value) || json_array_size(value) == 0 || json_array_size(value) > 200)
        return bad_value(c, "value must be a list of 1–200 services", "取值须为1–200个服务类别");
    size_t i;
    json_t *s;
    json_array_foreach(value, i, s)
    {
        json_t *code = json_object_get(s, "code"), *lim = json_object_get(s, "limit_hours");
        json_t *pub = json_object_get(s, "public");
        if (!json_is_object(s) || !is_text(code, 40) || !code_ok(json_string_value(code)) ||
            !is_text(json_object_get(s, "name"), 50) || !json_is_integer(lim) ||
            json_integer_value(lim) < 1 || json_integer_value(lim) > 24 * 90 ||
            !json_is_boolean(pub) || !is_text(json_object_get(s, "team"), 50) ||
            !is_text(json_object_get(s, "duty"), 50))
            return bad_value(
                c,
                "every service needs code (a-z 0-9 _ -), name, limit_hours (1–2160), "
                "public (true/false), team and duty",
                "每个服务类别须有 code(小写字母、数字、_、-)、name、limit_hours(1–2160)、"
                "public、team 和 duty");
        const char *cs = json_string_value(code);
        for (size_t k = 0; k < i; k++)
            if (strcmp(json_string_value(json_object_get(json_array_get(value, k), "code")), cs) ==
                0)
                return bad_value(c, arena_printf(c->a, "service code %s appears twice", cs),
                                 arena_printf(c->a, "服务类别代码 %s 重复", cs));
        const char *opt[] = {"name_en", "group", "description", "keywords"};
        for (size_t k = 0; k < JC_NELEM(opt); k++) {
            json_t *o = json_object_get(s, opt[k]);
            if (o && !(json_is_string(o) && json_string_length(o) <= 200))
                return bad_value(c, arena_printf(c->a, "%s: %s must be a text", cs, opt[k]),
                                 arena_printf(c->a, "%s:%s 须为文字", cs, opt[k]));
        }
        int rc = check_attributes(c, json_object_get(s, "attributes"), cs);
        if (rc) return rc;
    }
    return JC_OK;
}

static int check_area(jc_ctx *c, json_t *v)
{
    double lo_lat = json_number_value(json_object_get(v, "min_lat"));
    double hi_lat = json_number_value(json_object_get(v, "max_lat"));
    double lo_lng = json_number_value(json_object_get(v, "min_lng"));
    double hi_lng = json_number_value(json_object_get(v, "max_lng"));
    if (!json_is_object(v) || !is_text(json_object_get(v, "name"), 50) ||
        !json_is_number(json_object_get(v, "min_lat")) ||
        !json_is_number(json_object_get(v, "max_lat")) ||
        !json_is_number(json_object_get(v, "min_lng")) ||
        !json_is_number(json_object_get(v, "max_lng")) || lo_lat < -90 || hi_lat > 90 ||
        lo_lat >= hi_lat || lo_lng < -180 || hi_lng > 180 || lo_lng >= hi_lng)
        return bad_value(c, "value must be {name, min_lat < max_lat, min_lng < max_lng}",
                         "取值须为 {name, min_lat < max_lat, min_lng < max_lng}");
    return JC_OK;
}

static int check_frequency(jc_ctx *c, json_t *v)
{
    for (size_t i = 0; i < JC_NELEM(chief_levels); i++) {
        json_t *f = json_object_get(v, chief_levels[i].code);
        if (!json_is_object(v) || !json_is_string(f) || !in_list(FREQUENCIES, json_string_value(f)))
            return bad_value(
                c,
                "value must give general, first and second one of day, week, "
                "half_month, month",
                "取值须为 general、first、second 各自的频次:day、week、half_month、month");
    }
    return json_object_size(v) == JC_NELEM(chief_levels)
               ? JC_OK
               : bad_value(c, "only general, first and second", "只能设置 general、first、second");
}

static int check_area_code(jc_ctx *c, json_t *v)
{
    if (!json_is_string(v) || !area_code_level(json_string_value(v)))
        return bad_value(c, "value must be an area code", "取值须为区划代码");
    return JC_OK;
}

static int check_text(jc_ctx *c, json_t *v)
{
    if (!json_is_string(v) || json_string_length(v) > 200 || jc_has_control(json_string_value(v)))
        return bad_value(c, "value must be a text of at most 200 characters", "取值须为文字");
    return JC_OK;
}

static int check_url(jc_ctx *c, json_t *v)
{
    const char *s = json_string_value(v);
    if (!json_is_string(v) ||
        (*s && strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0) ||
        json_string_length(v) > 200 || strpbrk(s, " \"<>\\") || jc_has_control(s))
        return bad_value(c, "value must be \"\" or an http(s) URL without a trailing path",
                         "取值须为空或 http(s) 地址");
    return JC_OK;
}

static int check_photo_max(jc_ctx *c, json_t *v)
{
    if (!json_is_integer(v) || json_integer_value(v) < 1024 ||
        json_integer_value(v) > 7 * 1024 * 1024)
        return bad_value(c, "value must be 1024 … 7340032 bytes (the upload limit)",
                         "取值须在1024到7340032字节之间");
    return JC_OK;
}

static int check_small_int(jc_ctx *c, json_t *v)
{
    if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 100000)
        return bad_value(c, "value must be an integer 1 … 100000", "取值须为1到100000之间的整数");
    return JC_OK;
}

const config_def cases_config[CASES_NCONFIG] = {
    {"cases.services", DEFAULT_SERVICES,
     "城市管理诉求类别(Open311 "
     "服务):处置时限(小时)、是否允许公众上报、处置队伍类型、路长职责、附加属性",
     "city management services (Open311): time limit in hours, open to the public, handling team "
     "kind, road chief duty, extra attributes",
     check_services},
    {"cases.team_kinds", "[\"综合执法\",\"卫生清洁\",\"日常巡逻\"]", "城市管理队伍类型",
     "kinds of city management teams", config_check_string_list},
    {"cases.chief_duties", "[\"包秩序\",\"包卫生\",\"包立面\"]", "路长职责(三包)",
     "duties of road chiefs", config_check_string_list},
    {"cases.patrol_frequency", "{\"general\":\"half_month\",\"first\":\"week\",\"second\":\"day\"}",
     "各级路长巡查频次(day/week/half_month/month):总路长每半月、一级路长每周、二级路长每天",
     "patrol frequency of each chief level (day, week, half_month, month)", check_frequency},
    {"cases.service_area", DEFAULT_AREA, "受理诉求的地理范围(经纬度),范围外的位置被拒绝",
     "the service area (latitude/longitude box); locations outside are refused", check_area},
    {"cases.intake_area", "\"410104007000\"", "无法匹配道路的诉求归属的区域(街道)",
     "the area of cases that match no road (the sub-district)", check_area_code},
    {"cases.road_snap_m", "150", "诉求位置距道路多少米以内时归属该道路",
     "distance in metres within which a case belongs to the nearest road",
     config_check_positive_int},
    {"cases.duplicate_radius_m", "50", "上报时提示同类未办结诉求的半径(米)",
     "radius in metres of open cases of the same service offered as duplicates",
     config_check_positive_int},
    {"cases.photo_max_bytes", "5242880", "每张照片的最大字节数(JPEG/PNG/WebP)",
     "largest photo in bytes (JPEG, PNG, WebP)", check_photo_max},
    {"cases.photos_per_case", "9", "每件诉求最多照片数", "most photos per case", check_small_int},
    {"cases.open311_rate_per_hour", "30", "未提供 api_key 时每个地址每小时最多受理的公众上报数",
     "reports accepted per client address and hour without an api_key", check_small_int},
    {"cases.open311_max_requests", "1000", "Open311 查询一次最多返回的诉求数",
     "most requests one Open311 query returns", check_small_int},
    {"cases.open311_contact", "\"陇海马路街道城市管理办公室 0371-66320000\"",
     "Open311 服务发现中的联系方式", "contact shown in the Open311 discovery", check_text},
    {"cases.public_base_url", "\"\"", "对外公开的服务地址(用于照片链接),为空时使用相对地址",
     "public base URL of this server (for media links); empty: relative links", check_url},
    {"cases.dust_eighth_item", "\"非道路移动机械达标\"",
     "扬尘治理“8个100%”检查表的第八项(前七项为郑州市规定)",
     "the eighth item of the 8 × 100 % checklist (the first seven are Zhengzhou's)", check_text},
    {"cases.site_supervisor_titles", "[\"网格长\",\"网格员\",\"督查员\",\"执法员\"]",
     "工地“一长三员”监管人员职务(第一个为整改责任人)",
     "titles of a site's supervisors (一长三员); the first is responsible for rectification",
     config_check_string_list},
    {"cases.site_rectification_service", "\"site_rectification\"",
     "工地检查不合格项生成整改工单的服务类别代码",
     "service code of the rectification cases opened by failed inspection items", check_text},
};

/* ---- reading ---- */

static const char *str_or(json_t *o, const char *key, const char *def)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : def;
}

static void service_from_json(jc_ctx *c, json_t *s, case_service *out)
{
    memset(out, 0, sizeof *out);
    out->code = str_or(s, "code", "");
    out->name = str_or(s, "name", "");
    out->name_en = str_or(s, "name_en", out->name);
    out->group = str_or(s, "group", "");
    out->description = str_or(s, "description", "");
    out->keywords = str_or(s, "keywords", "");
    out->team = str_or(s, "team", "");
    out->duty = str_or(s, "duty", "");
    out->limit_hours = json_integer_value(json_object_get(s, "limit_hours"));
    out->is_public = json_is_true(json_object_get(s, "public"));
    out->attributes = json_object_get(s, "attributes");
    if (!json_is_array(out->attributes)) out->attributes = jc_own(c, json_array());
}

int cases_services(jc_ctx *c, case_service **out, int *n)
{
    json_t *all = config_get(c, "cases.services");
    size_t cnt = json_array_size(all);
    *n = 0;
    *out = arena_calloc(c->a, sizeof **out * (cnt ? cnt : 1));
    if (!*out) return JC_ENOMEM;
    for (size_t i = 0; i < cnt; i++) service_from_json(c, json_array_get(all, i), &(*out)[i]);
    *n = (int)cnt;
    return JC_OK;
}

int cases_service_get(jc_ctx *c, const char *code, const char *field, case_service *out)
{
    json_t *all = config_get(c, "cases.services"), *s;
    size_t i;
    json_array_foreach(all, i, s) if (code && strcmp(str_or(s, "code", ""), code) == 0)
    {
        service_from_json(c, s, out);
        return JC_OK;
    }
    json_t *allowed = json_array();
    json_array_foreach(all, i, s)
        json_array_append_new(allowed, json_string(str_or(s, "code", "")));
    jc_fail_extra(c, "allowed", allowed);
    return jc_fail(
        c, JC_EINVAL, "unknown_service", field,
        arena_printf(c->a, "%s: no such service (category) '%s'", field, code ? code : ""),
        arena_printf(c->a, "诉求类别「%s」不存在", code ? code : ""));
}

void cases_service_area(jc_ctx *c, service_area *out)
{
    json_t *v = config_get(c, "cases.service_area");
    out->name = str_or(v, "name", "");
    out->min_lat = json_number_value(json_object_get(v, "min_lat"));
    out->max_lat = json_number_value(json_object_get(v, "max_lat"));
    out->min_lng = json_number_value(json_object_get(v, "min_lng"));
    out->max_lng = json_number_value(json_object_get(v, "max_lng"));
}

int cases_check_location(jc_ctx *c, double lat, double lng, const char *lat_field,
                         const char *lng_field)
{
    if (!isfinite(lat) || lat < -90 || lat > 90)
        return jc_fail(c, JC_EINVAL, "invalid_field", lat_field,
                       arena_printf(c->a, "%s: latitude must be between -90 and 90", lat_field),
                       "纬度须在-90到90之间");
    if (!isfinite(lng) || lng < -180 || lng > 180)
        return jc_fail(c, JC_EINVAL, "invalid_field", lng_field,
                       arena_printf(c->a, "%s: longitude must be between -180 and 180", lng_field),
                       "经度须在-180到180之间");
    service_area a;
    cases_service_area(c, &a);
    bool lat_in = lat >= a.min_lat && lat <= a.max_lat,
         lng_in = lng >= a.min_lng && lng <= a.max_lng;
    if (lat_in && lng_in) return JC_OK;
    json_t *box = json_pack("{s:s, s:f, s:f, s:f, s:f}", "name", a.name, "min_lat", a.min_lat,
                            "max_lat", a.max_lat, "min_lng", a.min_lng, "max_lng", a.max_lng);
    jc_fail_extra(c, "service_area", box);
    return jc_fail(
        c, JC_EINVAL, "outside_service_area", lat_in ? lng_field : lat_field,
        arena_printf(c->a,
                     "the location (%.6f, %.6f) lies outside the service area %s (latitude "
                     "%.2f–%.2f, longitude %.2f–%.2f)",
                     lat, lng, a.name, a.min_lat, a.max_lat, a.min_lng, a.max_lng),
        arena_printf(c->a, "位置(%.6f, %.6f)不在受理范围(%s,纬度%.2f–%.2f,经度%.2f–%.2f)内", lat,
                     lng, a.name, a.min_lat, a.max_lat, a.min_lng, a.max_lng));
}

const char *cases_level_frequency(jc_ctx *c, const char *level)
{
    const char *f =
        json_string_value(json_object_get(config_get(c, "cases.patrol_frequency"), level));
    return f ? f : "week";
}
