/*
 * console/util.js — what every section of the staff console shares: its dictionary (zh-CN first,
 * English second), names of the API's enumerations, money and time formatting, error display
 * (401 sends the page back to the login form; 409 says someone else changed the object), small
 * form and table builders, and keyset paging. Built on shared/api.js, shared/dom.js,
 * shared/i18n.js and shared/money.js; nothing here touches innerHTML.
 */

import { h, newId } from '../shared/dom.js';
import { dictionary, formatDateTime, getLang } from '../shared/i18n.js';
import { formatFen } from '../shared/money.js';

export const t = dictionary({
  zh: {
    app_title: '防诈 · 工作台',
    skip: '跳到主要内容',
    nav_dashboard: '首页',
    nav_reports: '线索',
    nav_indicators: '情报',
    nav_rewards: '奖励',
    nav_cases: '案例',
    nav_check: '检测',
    nav_audit: '审计',
    nav_admin: '用户',
    lang_switch: 'English',
    logout: '登出',
    login_title: '工作人员登录',
    login_name: '用户名',
    login_password: '密码',
    login_submit: '登录',
    login_failed: '登录失败：用户名或密码错误，或账户已被锁定',
    login_expired: '登录已过期，请重新登录',
    loading: '正在加载…',
    none: '无',
    empty: '没有符合条件的记录',
    next_page: '下一页',
    prev_page: '上一页',
    first_page: '第一页',
    page_n: '第 {n} 页',
    search: '查询',
    reset: '重置',
    refresh: '刷新',
    submit: '提交',
    cancel: '取消',
    any: '全部',
    yes: '是',
    no: '否',
    err_conflict_version: '已被他人修改，请刷新',
    err_conflict: '操作冲突：{msg}',
    err_forbidden: '无权执行此操作：{msg}',
    err_not_found: '未找到（或不在您的单位范围内）',
    err_invalid: '输入有误：{msg}',
    err_rate: '请求过于频繁，请 {n} 秒后再试',
    err_network: '无法连接服务器，请检查网络',
    err_other: '出错了（{status}）：{msg}',
    field_required: '此项必填',
    // reports
    reports_title: '线索队列',
    f_status: '状态',
    f_channel: '渠道',
    f_fraud_type: '诈骗类型',
    f_order: '排序',
    f_kind: '线索类型',
    f_value: '号码 / 网址 / 账号',
    order_newest: '最新在前',
    order_oldest: '最早在前',
    col_id: '编号',
    col_created: '提交时间',
    col_status: '状态',
    col_channel: '渠道',
    col_fraud_type: '类型',
    col_text: '内容摘要',
    col_loss: '损失',
    col_score: '风险分',
    col_contact: '联系人',
    report_n: '线索 #{id}',
    back_to_queue: '返回队列',
    r_source: '来源',
    r_occurred: '发生时间',
    r_updated: '更新时间',
    r_verdict: '检测结论',
    r_contact: '联系人',
    r_duplicate_of: '疑似重复于',
    r_status_reason: '处理说明',
    r_version: '版本',
    r_text: '举报内容',
    r_reasons: '检测依据',
    r_reasons_none: '未命中任何规则',
    r_indicators: '提取的情报',
    r_history: '处理记录',
    r_history_into: '重复于 #{id}',
    r_history_failed: '处理记录暂时无法读取：{msg}',
    r_actions: '处理',
    r_screening_failed: '无法获取检测依据：{msg}',
    act_triage: '分诊',
    act_confirm: '核实',
    act_reject: '不予采纳',
    act_merge: '合并',
    act_reveal: '查看联系方式',
    act_propose: '申请奖励',
    tlp: 'TLP 共享级别',
    reject_reason: '不予采纳的理由',
    merge_into: '合并到线索编号',
    reveal_note: '联系方式为个人信息，查看操作将记入审计日志。',
    done_triage: '已分诊',
    done_confirm: '已核实，确认情报 {n} 条',
    done_reject: '已标记为不予采纳',
    done_merge: '已合并',
    done_reveal: '已显示完整联系方式（已记入审计日志）',
    done_propose: '已提交奖励申请 #{id}，金额 {amount}',
    // indicators
    ind_title: '情报检索',
    ind_add: '新增情报',
    ind_n: '情报 #{id}',
    i_kind: '类型',
    i_value: '值',
    i_prefix: '前缀匹配',
    i_status: '状态',
    i_tlp: 'TLP',
    i_score: '评分',
    i_reports: '举报数',
    i_sightings: '发现次数',
    i_first_seen: '首次发现',
    i_last_seen: '最近发现',
    i_last_report: '最近举报',
    i_expires: '到期',
    i_updated: '更新时间',
    i_note: '备注',
    i_cleared_reason: '解除理由',
    i_source_org: '来源单位',
    i_history: '变更历史',
    i_sightings_list: '发现记录',
    h_at: '时间',
    h_actor: '操作人',
    h_action: '操作',
    h_change: '变更',
    h_reason: '理由',
    h_report: '线索',
    s_seen: '发现时间',
    s_org: '单位',
    s_count: '次数',
    act_ind_confirm: '确认为诈骗情报',
    act_ind_clear: '解除（申诉核实）',
    act_ind_extend: '延长有效期',
    clear_reason: '解除理由',
    extend_until: '有效期至',
    ind_done: '已更新',
    ind_created: '已保存情报 #{id}',
    never: '永不',
    // rewards
    rw_title: '有奖举报',
    rw_budget: '{year} 年度预算',
    rw_budget_total: '预算',
    rw_budget_approved: '已批准',
    rw_budget_paid: '已支付',
    rw_budget_left: '剩余',
    rw_budget_unset: '本年度尚未设置预算',
    rw_set_budget: '设置预算（元）',
    rw_year: '年度',
    rw_ledger: '下载台账 CSV',
    rw_ledger_xlsx: '下载台账 Excel',
    rw_propose_title: '为已核实线索申请奖励',
    rw_report_id: '线索编号',
    rw_amount: '金额（元，留空按规则计算）',
    rw_basis: '依据（手工金额时必填）',
    rw_col_report: '线索',
    rw_col_amount: '金额',
    rw_col_status: '状态',
    rw_col_proposed: '申请',
    rw_col_approved: '批准',
    rw_col_paid: '支付',
    rw_col_actions: '操作',
    ad_users_list: '用户列表',
    ad_keys_list: '密钥列表',
    ad_orgs_list: '单位列表',
    act_approve: '批准',
    act_pay: '支付',
    act_cancel: '撤销',
    payment_ref: '付款凭证号',
    cancel_reason: '撤销理由',
    rw_done: '奖励 #{id} 已更新',
    by_rule: '按规则',
    // cases
    cs_title: '典型案例',
    cs_intro: '撰写已隐去当事人信息的典型案例；发布后显示在群众门户的“典型案例”。',
    cs_new: '新建案例',
    cs_n: '案例 #{id}',
    cs_back: '返回案例列表',
    cs_col_title: '标题',
    cs_col_updated: '最后修改',
    cs_col_published: '发布',
    cs_created: '创建',
    cs_version: '版本',
    cs_text: '案情',
    cs_text_hint: '空一行分段。请隐去姓名、手机号（写作 138****5678）、身份证号等个人信息。',
    cs_pick_type: '请选择诈骗类型',
    cs_count: '标题 {title}/{tmax} 字 · 正文 {text}/{max} 字节',
    cs_preview: '预览（门户显示效果）',
    cs_preview_empty: '正文为空',
    cs_untitled: '（无标题）',
    cs_save: '保存',
    cs_saved: '已保存',
    cs_unchanged: '没有修改',
    cs_publish: '发布',
    cs_published: '已发布到门户',
    cs_save_first: '请先保存修改，再发布',
    cs_pii_live: '以下内容疑似个人信息，发布前请隐去（如 138****5678、张某）：',
    cs_pii_item: '{field}第 {at} 个字起：{what}',
    cs_pii_publish: '内容仍含个人信息（{what}），无法发布：请隐去后保存再发布。',
    cs_withdraw: '撤回',
    cs_withdraw_reason: '撤回理由',
    cs_withdrawn: '已从门户撤回',
    cs_readonly: '只读：案例由民警/专员和研判员撰写和发布。',
    cs_published_locked: '已发布的案例不能直接修改：请先撤回，修改后再发布。',
    cs_pii: '内容疑似包含手机号或身份证号：请隐去（例如写作 138****5678）后再保存。',
    cs_anonymise: '发布前请确认已隐去个人信息；含手机号或身份证号的内容无法保存。',
    // check
    ck_title: '风险检测',
    ck_input: '粘贴短信 / 聊天内容，或输入号码、网址、账号',
    ck_mode: '检测类型',
    ck_auto: '自动识别',
    ck_text: '文本',
    ck_number: '电话号码',
    ck_url: '网址',
    ck_account: '账号',
    ck_submit: '检测',
    ck_result: '检测结果',
    ck_score: '风险分',
    ck_label: '判定',
    ck_action: '建议',
    ck_type: '诈骗类型',
    ck_indicator: '情报库',
    ck_indicator_none: '情报库中没有记录',
    ck_reasons: '原因',
    ck_invalid: '无法识别为有效的{what}',
    // audit
    au_title: '审计日志',
    au_action: '操作',
    au_object_kind: '对象类型',
    au_object_id: '对象编号',
    au_actor: '操作人编号',
    au_since: '起始日期',
    au_at: '时间',
    au_who: '操作人',
    au_org: '单位',
    au_object: '对象',
    au_outcome: '结果',
    au_detail: '详情',
    au_request: '请求编号',
    // admin
    ad_users: '用户',
    ad_keys: 'API 密钥',
    ad_orgs: '单位',
    ad_name: '名称',
    ad_password: '初始密码（至少 12 位，不含用户名）',
    ad_role: '角色',
    ad_org: '单位',
    ad_kind: '单位类型',
    ad_centre: '反诈中心',
    ad_created: '创建时间',
    ad_last_login: '最近登录',
    ad_state: '状态',
    ad_disabled: '已停用',
    ad_locked: '已锁定',
    ad_active: '正常',
    ad_revoked: '已吊销',
    ad_expires: '到期日期（可选）',
    ad_last_used: '最近使用',
    ad_add_user: '添加用户',
    ad_add_key: '创建密钥',
    ad_add_org: '添加单位',
    ad_disable: '停用',
    ad_revoke: '吊销',
    ad_confirm_disable: '确定停用用户 {name}？其会话将立即结束。',
    ad_confirm_revoke: '确定吊销密钥 {name}？',
    ad_key_once: '新密钥只显示这一次，请立即复制保存：',
    ad_copy: '复制',
    ad_copied: '已复制',
    ad_copy_failed: '复制失败，请手动选择复制',
    ad_done: '已保存',
    // dashboard
    db_title: '首页',
    db_indicators: '每日新确认情报（按类型）',
    db_budget: '{year} 年奖励预算使用情况',
    db_total: '合计 {n}',
    db_no_access: '当前角色无权查看',
    db_no_data: '暂无数据',
    db_unset: '未设置',
    db_used: '已用 {amount}',
    db_per_day: '每日线索（按渠道）',
    db_by_type: '线索（按诈骗类型）',
    db_by_status: '线索处理状态',
    db_verdicts: '受理时检测结论（按判定和建议）',
    db_top_values: '被举报最多的号码 / 网址 / 账号',
    db_top_values_note: '期间内举报次数最多的前 10 个；点击查看情报',
    db_times: '举报次数',
    db_budget_year: '期间截止日所在年度',
    db_filters: '筛选',
    db_period: '期间',
    db_last_days: '近 {n} 天',
    db_custom: '自定义',
    db_from: '起始日期',
    db_to: '截止日期',
    db_apply: '应用',
    db_org: '单位',
    db_all_orgs: '全部单位',
    db_bad_dates: '请填写有效的起止日期',
    db_bad_order: '截止日期不能早于起始日期',
    db_too_long: '期间最长 {n} 天',
    db_kpi_reports: '期间线索',
    db_kpi_confirmed: '新确认情报',
    db_kpi_triage: '分诊用时中位数',
    db_kpi_triage_note: '从收到线索到分诊',
    db_under_minute: '不到 1 分钟',
    db_minutes: '{m} 分钟',
    db_hours: '{h} 小时 {m} 分钟',
    unknown: '未分类',
  },
  en: {
    app_title: 'fangzha · Console',
    skip: 'Skip to main content',
    nav_dashboard: 'Dashboard',
    nav_reports: 'Reports',
    nav_indicators: 'Indicators',
    nav_rewards: 'Rewards',
    nav_cases: 'Cases',
    nav_check: 'Check',
    nav_audit: 'Audit',
    nav_admin: 'Accounts',
    lang_switch: '中文',
    logout: 'Log out',
    login_title: 'Staff login',
    login_name: 'User name',
    login_password: 'Password',
    login_submit: 'Log in',
    login_failed: 'Login failed: wrong name or password, or the account is locked',
    login_expired: 'Your session has ended; please log in again',
    loading: 'Loading…',
    none: 'none',
    empty: 'Nothing matches',
    next_page: 'Next page',
    prev_page: 'Previous page',
    first_page: 'First page',
    page_n: 'Page {n}',
    search: 'Search',
    reset: 'Reset',
    refresh: 'Refresh',
    submit: 'Submit',
    cancel: 'Cancel',
    any: 'All',
    yes: 'yes',
    no: 'no',
    err_conflict_version: 'Someone else changed this; please refresh',
    err_conflict: 'Conflict: {msg}',
    err_forbidden: 'Not allowed: {msg}',
    err_not_found: 'Not found (or outside your organisation)',
    err_invalid: 'Invalid input: {msg}',
    err_rate: 'Too many requests; try again in {n} s',
    err_network: 'The server cannot be reached',
    err_other: 'Error ({status}): {msg}',
    field_required: 'Required',
    reports_title: 'Report queue',
    f_status: 'Status',
    f_channel: 'Channel',
    f_fraud_type: 'Fraud type',
    f_order: 'Order',
    f_kind: 'Indicator kind',
    f_value: 'Number / URL / account',
    order_newest: 'Newest first',
    order_oldest: 'Oldest first',
    col_id: 'ID',
    col_created: 'Received',
    col_status: 'Status',
    col_channel: 'Channel',
    col_fraud_type: 'Type',
    col_text: 'Text',
    col_loss: 'Loss',
    col_score: 'Score',
    col_contact: 'Contact',
    report_n: 'Report #{id}',
    back_to_queue: 'Back to the queue',
    r_source: 'Source',
    r_occurred: 'Occurred',
    r_updated: 'Updated',
    r_verdict: 'Screening',
    r_contact: 'Contact',
    r_duplicate_of: 'Possible duplicate of',
    r_status_reason: 'Decision note',
    r_version: 'Version',
    r_text: 'Reported text',
    r_reasons: 'Screening reasons',
    r_reasons_none: 'No rule matched',
    r_indicators: 'Extracted indicators',
    r_history: 'History',
    r_history_into: 'duplicate of #{id}',
    r_history_failed: 'The history could not be read: {msg}',
    r_actions: 'Actions',
    r_screening_failed: 'Could not screen the text: {msg}',
    act_triage: 'Triage',
    act_confirm: 'Confirm',
    act_reject: 'Reject',
    act_merge: 'Merge',
    act_reveal: 'Reveal contact',
    act_propose: 'Propose reward',
    tlp: 'TLP',
    reject_reason: 'Reason for rejecting',
    merge_into: 'Merge into report ID',
    reveal_note: 'The contact is personal data; revealing it is written to the audit log.',
    done_triage: 'Triaged',
    done_confirm: 'Confirmed; {n} indicators confirmed',
    done_reject: 'Rejected',
    done_merge: 'Merged',
    done_reveal: 'Contact revealed (audited)',
    done_propose: 'Reward #{id} proposed: {amount}',
    ind_title: 'Indicator search',
    ind_add: 'Add indicator',
    ind_n: 'Indicator #{id}',
    i_kind: 'Kind',
    i_value: 'Value',
    i_prefix: 'Prefix match',
    i_status: 'Status',
    i_tlp: 'TLP',
    i_score: 'Score',
    i_reports: 'Reports',
    i_sightings: 'Sightings',
    i_first_seen: 'First seen',
    i_last_seen: 'Last seen',
    i_last_report: 'Last report',
    i_expires: 'Expires',
    i_updated: 'Updated',
    i_note: 'Note',
    i_cleared_reason: 'Cleared because',
    i_source_org: 'Source org',
    i_history: 'History',
    i_sightings_list: 'Sightings',
    h_at: 'At',
    h_actor: 'By',
    h_action: 'Action',
    h_change: 'Change',
    h_reason: 'Reason',
    h_report: 'Report',
    s_seen: 'Seen',
    s_org: 'Org',
    s_count: 'Count',
    act_ind_confirm: 'Confirm as fraud',
    act_ind_clear: 'Clear (appeal upheld)',
    act_ind_extend: 'Extend expiry',
    clear_reason: 'Reason for clearing',
    extend_until: 'Valid until',
    ind_done: 'Updated',
    ind_created: 'Indicator #{id} saved',
    never: 'never',
    cs_title: 'Typical cases',
    cs_intro: 'Write anonymised typical cases; once published they appear under “Typical cases” on the public portal.',
    cs_new: 'New case',
    cs_n: 'Case #{id}',
    cs_back: 'Back to cases',
    cs_col_title: 'Title',
    cs_col_updated: 'Last change',
    cs_col_published: 'Published',
    cs_created: 'Created',
    cs_version: 'Version',
    cs_text: 'Text',
    cs_text_hint: 'A blank line starts a paragraph. Leave out names, phone numbers (write 138****5678) and ID numbers.',
    cs_pick_type: 'Choose a fraud type',
    cs_count: 'Title {title}/{tmax} characters · text {text}/{max} bytes',
    cs_preview: 'Preview (as on the portal)',
    cs_preview_empty: 'The text is empty',
    cs_untitled: '(untitled)',
    cs_save: 'Save',
    cs_saved: 'Saved',
    cs_unchanged: 'Nothing changed',
    cs_publish: 'Publish',
    cs_published: 'Published on the portal',
    cs_save_first: 'Save the changes before publishing',
    cs_pii_live: 'This looks like personal data; leave it out before publishing (e.g. 138****5678, 张某):',
    cs_pii_item: '{what} in the {field}, from character {at}',
    cs_pii_publish: 'It still holds personal data ({what}) and cannot be published: anonymise it, save, then publish.',
    cs_withdraw: 'Withdraw',
    cs_withdraw_reason: 'Reason for withdrawal',
    cs_withdrawn: 'Withdrawn from the portal',
    cs_readonly: 'Read only: officers and analysts write and publish cases.',
    cs_published_locked: 'A published case cannot be edited: withdraw it, edit it, publish it again.',
    cs_pii: 'This seems to hold a mobile or ID number: anonymise it (for example 138****5678) before saving.',
    cs_anonymise: 'Check that personal data is left out; text holding a phone or ID number cannot be saved.',
    rw_title: 'Rewards',
    rw_budget: 'Budget {year}',
    rw_budget_total: 'Budget',
    rw_budget_approved: 'Approved',
    rw_budget_paid: 'Paid',
    rw_budget_left: 'Left',
    rw_budget_unset: 'No budget set for this year',
    rw_set_budget: 'Set budget (yuan)',
    rw_year: 'Year',
    rw_ledger: 'Download ledger CSV',
    rw_ledger_xlsx: 'Download ledger Excel',
    rw_propose_title: 'Propose a reward for a confirmed report',
    rw_report_id: 'Report ID',
    rw_amount: 'Amount (yuan; empty = by rule)',
    rw_basis: 'Basis (required for a manual amount)',
    rw_col_report: 'Report',
    rw_col_amount: 'Amount',
    rw_col_status: 'Status',
    rw_col_proposed: 'Proposed',
    rw_col_approved: 'Approved',
    rw_col_paid: 'Paid',
    rw_col_actions: 'Actions',
    ad_users_list: 'List of users',
    ad_keys_list: 'List of API keys',
    ad_orgs_list: 'List of organisations',
    act_approve: 'Approve',
    act_pay: 'Pay',
    act_cancel: 'Cancel',
    payment_ref: 'Payment reference',
    cancel_reason: 'Reason for cancelling',
    rw_done: 'Reward #{id} updated',
    by_rule: 'by rule',
    ck_title: 'Risk check',
    ck_input: 'Paste a message, or type a number, URL or account',
    ck_mode: 'Kind',
    ck_auto: 'Detect',
    ck_text: 'Text',
    ck_number: 'Phone number',
    ck_url: 'URL',
    ck_account: 'Account',
    ck_submit: 'Check',
    ck_result: 'Result',
    ck_score: 'Score',
    ck_label: 'Label',
    ck_action: 'Advice',
    ck_type: 'Fraud type',
    ck_indicator: 'Intelligence',
    ck_indicator_none: 'Not in the indicator index',
    ck_reasons: 'Reasons',
    ck_invalid: 'Not a valid {what}',
    au_title: 'Audit log',
    au_action: 'Action',
    au_object_kind: 'Object kind',
    au_object_id: 'Object ID',
    au_actor: 'Actor ID',
    au_since: 'Since',
    au_at: 'At',
    au_who: 'Actor',
    au_org: 'Org',
    au_object: 'Object',
    au_outcome: 'Outcome',
    au_detail: 'Detail',
    au_request: 'Request',
    ad_users: 'Users',
    ad_keys: 'API keys',
    ad_orgs: 'Organisations',
    ad_name: 'Name',
    ad_password: 'Initial password (12+ characters, not containing the name)',
    ad_role: 'Role',
    ad_org: 'Organisation',
    ad_kind: 'Kind',
    ad_centre: 'Anti-fraud centre',
    ad_created: 'Created',
    ad_last_login: 'Last login',
    ad_state: 'State',
    ad_disabled: 'disabled',
    ad_locked: 'locked',
    ad_active: 'active',
    ad_revoked: 'revoked',
    ad_expires: 'Expires (optional)',
    ad_last_used: 'Last used',
    ad_add_user: 'Add user',
    ad_add_key: 'Create key',
    ad_add_org: 'Add organisation',
    ad_disable: 'Disable',
    ad_revoke: 'Revoke',
    ad_confirm_disable: 'Disable user {name}? Their sessions end at once.',
    ad_confirm_revoke: 'Revoke key {name}?',
    ad_key_once: 'The new key is shown only this once; copy it now:',
    ad_copy: 'Copy',
    ad_copied: 'Copied',
    ad_copy_failed: 'Copy failed; select the key and copy it by hand',
    ad_done: 'Saved',
    db_title: 'Dashboard',
    db_indicators: 'Newly confirmed indicators per day (by kind)',
    db_budget: 'Reward budget {year}',
    db_total: 'Total {n}',
    db_no_access: 'Your role cannot see this',
    db_no_data: 'No data yet',
    db_unset: 'not set',
    db_used: '{amount} used',
    db_per_day: 'Reports per day (by channel)',
    db_by_type: 'Reports by fraud type',
    db_by_status: 'Reports by status',
    db_verdicts: 'Intake verdicts (by label and action)',
    db_top_values: 'Most reported numbers / URLs / accounts',
    db_top_values_note: 'The 10 values reported most in the period; open one to see its indicator',
    db_times: 'Reports',
    db_budget_year: 'the year of the period\'s last day',
    db_filters: 'Filters',
    db_period: 'Period',
    db_last_days: 'Last {n} days',
    db_custom: 'Custom',
    db_from: 'From',
    db_to: 'To',
    db_apply: 'Apply',
    db_org: 'Organisation',
    db_all_orgs: 'All organisations',
    db_bad_dates: 'Enter valid from and to dates',
    db_bad_order: 'The end date is before the start date',
    db_too_long: 'A period is at most {n} days',
    db_kpi_reports: 'Reports in the period',
    db_kpi_confirmed: 'Indicators confirmed',
    db_kpi_triage: 'Median time to triage',
    db_kpi_triage_note: 'from receipt to triage',
    db_under_minute: 'under 1 minute',
    db_minutes: '{m} min',
    db_hours: '{h} h {m} min',
    unknown: 'Unclassified',
  },
});

/* Names of the API's enumerations, per language. Unknown values show as they are (as text). */
const ENUMS = {
  status: {
    new: ['新线索', 'new'],
    triaged: ['已分诊', 'triaged'],
    confirmed: ['已核实', 'confirmed'],
    rejected: ['不予采纳', 'rejected'],
    duplicate: ['重复', 'duplicate'],
  },
  channel: {
    sms: ['短信', 'SMS'],
    call: ['电话', 'call'],
    chat: ['聊天', 'chat'],
    email: ['电子邮件', 'e-mail'],
    web: ['网页', 'web'],
    app: ['App', 'app'],
    other: ['其他', 'other'],
  },
  fraud_type: {
    order_brushing: ['刷单返利', 'order brushing'],
    fake_investment: ['虚假投资理财', 'fake investment'],
    fake_loan: ['虚假网络贷款', 'fake loan'],
    fake_customer_service: ['冒充电商物流客服', 'fake customer service'],
    impersonate_authority: ['冒充公检法', 'impersonating authorities'],
    fake_credit_repair: ['虚假征信', 'fake credit repair'],
    game_trading: ['虚假游戏交易', 'game trading'],
    romance: ['网络婚恋交友', 'romance'],
    impersonate_acquaintance: ['冒充熟人领导', 'impersonating acquaintances'],
    impersonate_military_purchase: ['冒充军警购物', 'fake military purchase'],
    phishing: ['钓鱼诈骗', 'phishing'],
    other_fraud: ['其他诈骗', 'other fraud'],
  },
  kind: {
    phone: ['电话号码', 'phone'],
    url: ['网址', 'URL'],
    domain: ['域名', 'domain'],
    ip: ['IP 地址', 'IP'],
    bank_account: ['银行账户', 'bank account'],
    payment_id: ['支付账号', 'payment ID'],
    wechat: ['微信号', 'WeChat'],
    qq: ['QQ 号', 'QQ'],
    email: ['电子邮箱', 'e-mail'],
    app: ['App', 'app'],
    wifi_bssid: ['Wi-Fi BSSID', 'Wi-Fi BSSID'],
    imei: ['IMEI', 'IMEI'],
  },
  ind_status: {
    suspected: ['可疑', 'suspected'],
    confirmed: ['已确认', 'confirmed'],
    cleared: ['已解除', 'cleared'],
  },
  tlp: {
    clear: ['CLEAR 公开', 'CLEAR'],
    green: ['GREEN 社区', 'GREEN'],
    amber: ['AMBER 限定', 'AMBER'],
    red: ['RED 仅本单位', 'RED'],
  },
  case_status: {
    draft: ['草稿', 'draft'],
    published: ['已发布', 'published'],
    withdrawn: ['已撤回', 'withdrawn'],
  },
  reward_status: {
    proposed: ['待批准', 'proposed'],
    approved: ['已批准', 'approved'],
    paid: ['已支付', 'paid'],
    cancelled: ['已撤销', 'cancelled'],
  },
  role: {
    admin: ['管理员', 'admin'],
    analyst: ['研判员', 'analyst'],
    officer: ['民警/专员', 'officer'],
    partner: ['合作单位系统', 'partner'],
    auditor: ['审计员', 'auditor'],
  },
  org_kind: {
    police: ['公安', 'police'],
    operator: ['运营商', 'operator'],
    bank: ['银行', 'bank'],
    internet: ['互联网企业', 'internet'],
    community: ['社区', 'community'],
  },
  label: {
    fraud: ['诈骗', 'fraud'],
    spam: ['垃圾信息', 'spam'],
    ham: ['正常', 'normal'],
  },
  action: {
    block: ['拦截', 'block'],
    warn: ['警告', 'warn'],
    allow: ['放行', 'allow'],
  },
  source: {
    anon: ['群众匿名', 'anonymous'],
    user: ['工作人员', 'staff'],
    api_key: ['合作单位接口', 'partner API'],
    cli: ['命令行（管理员）', 'command line'],
    system: ['系统', 'system'],
  },
  pii: {
    phone: ['电话号码', 'a phone number'],
    id_number: ['身份证号', 'an ID number'],
    bank_card: ['银行卡号', 'a bank card number'],
    email: ['电子邮箱', 'an e-mail address'],
    qq: ['QQ 号', 'a QQ number'],
    wechat: ['微信号', 'a WeChat ID'],
    name: ['姓名', 'a name'],
  },
  report_step: {
    add: ['收到线索', 'received'],
    triage: ['分诊', 'triaged'],
    reject: ['不予采纳', 'rejected'],
    merge: ['合并为重复线索', 'merged as a duplicate'],
    confirm: ['核实', 'confirmed'],
    reveal: ['查看联系方式', 'contact revealed'],
  },
};

/* The values of an enumeration, in display order. */
export function enumValues(kind) {
  return Object.keys(ENUMS[kind] || {});
}

/* The display name of `value` in enumeration `kind`; null/'' → '—'. */
export function label(kind, value) {
  if (value === null || value === undefined || value === '') return '—';
  const e = ENUMS[kind] && ENUMS[kind][value];
  if (!e) return String(value);
  return getLang() === 'en' ? e[1] : e[0];
}

/* "¥1,234.56" for 123456 fen, with integer arithmetic only (shared/money.js). */
export function money(fen) {
  if (fen === null || fen === undefined) return '—';
  const s = formatFen(fen);
  return s.startsWith('-') ? `-¥${s.slice(1)}` : `¥${s}`;
}

/* A time from the API (ISO string) in Beijing time; '—' for null. */
export function when(iso) {
  return iso ? formatDateTime(iso) : '—';
}

/* The current year in Beijing time. */
export function beijingYear() {
  return new Date(Date.now() + 8 * 3600 * 1000).getUTCFullYear();
}

/* The first `n` characters (code points) of `s`, with an ellipsis when cut. */
export function snippet(s, n = 60) {
  const cps = Array.from(String(s || '').replace(/\s+/g, ' '));
  return cps.length > n ? `${cps.slice(0, n).join('')}…` : cps.join('');
}

/* Sent by errorText() on a 401: app.js listens and shows the login form. */
export const UNAUTHENTICATED_EVENT = 'fz-unauthenticated';

/*
 * A sentence for an ApiError in the current language. A 401 also fires UNAUTHENTICATED_EVENT so
 * the page returns to the login form wherever the call was made. A stale `version` (409 naming
 * the field) reads 已被他人修改，请刷新; other conflicts show the server's figures.
 */
export function errorText(err) {
  if (!err || typeof err.status !== 'number') return t('err_other', { status: '?', msg: String(err) });
  const msg = err.message || err.code;
  switch (err.status) {
    case 0:
      return t('err_network');
    case 401:
      window.dispatchEvent(new CustomEvent(UNAUTHENTICATED_EVENT));
      return t('login_expired');
    case 403:
      return t('err_forbidden', { msg });
    case 404:
      return t('err_not_found');
    case 409:
      return err.field === 'version' || /changed|version/i.test(msg)
        ? t('err_conflict_version')
        : t('err_conflict', { msg });
    case 422:
      return t('err_invalid', { msg });
    case 429:
      return t('err_rate', { n: err.retryAfter ?? 1 });
    default:
      return t('err_other', { status: err.status, msg });
  }
}

/*
 * A status line: `show(kind, text, extra?)` replaces its content ('ok', 'error', 'info'), and
 * `clear()` empties it. role=status/alert makes screen readers announce it.
 */
export function notice() {
  const el = h('div', { class: 'c-notice', hidden: true, 'data-testid': 'notice' });
  el.show = (kind, text, ...extra) => {
    el.className = `c-notice c-notice-${kind}`;
    el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    el.replaceChildren(h('span', {}, text), ...extra.filter((x) => x !== null && x !== undefined && x !== false));
    el.hidden = false;
  };
  el.error = (err, ...extra) => {
    const conflict = err && err.status === 409;
    const refresh = conflict && el.onRefresh
      ? h('button', { type: 'button', class: 'c-btn c-btn-small', 'data-testid': 'notice-refresh', onclick: el.onRefresh }, t('refresh'))
      : null;
    el.show('error', errorText(err), ...extra, refresh);
  };
  el.clear = () => {
    el.hidden = true;
    el.replaceChildren();
  };
  return el;
}

/* A labelled control: returns { wrap, input }. `control` is an element made by the caller. */
export function field(text, control, hint) {
  const id = control.id || newId('f');
  control.id = id;
  const wrap = h('div', { class: 'c-field' }, h('label', { for: id }, text), control,
    hint ? h('small', { class: 'c-hint' }, hint) : null);
  return { wrap, input: control };
}

/* A <select> of an enumeration, with an "all" choice first when `withAny`. */
export function enumSelect(kind, value, { withAny = false, name, testid, values } = {}) {
  const opts = (values || enumValues(kind)).map((v) =>
    h('option', { value: v, selected: v === value }, label(kind, v)));
  if (withAny) opts.unshift(h('option', { value: '', selected: !value }, t('any')));
  return h('select', { name, 'data-testid': testid }, opts);
}

/* A table inside a scrolling wrapper (narrow screens scroll sideways instead of breaking). */
export function table(headers, rows, attrs = {}) {
  return h('div', { class: 'c-table-wrap', tabindex: '0', role: 'region', 'aria-label': attrs['aria-label'] || null },
    h('table', { class: 'c-table', 'data-testid': attrs.testid || null },
      h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, rows.length ? rows
        : h('tr', {}, h('td', { colspan: String(headers.length), class: 'c-empty' }, t('empty'))))));
}

/* A badge for a status-like value; the class lets CSS colour it. */
export function badge(kind, value, testid) {
  return h('span', { class: `c-badge c-badge-${kind}-${value}`, 'data-testid': testid || null }, label(kind, value));
}

/* A definition list from [term, value] pairs; values may be nodes. Pairs with null are skipped. */
export function dl(pairs) {
  return h('dl', { class: 'c-dl' }, pairs.filter(Boolean).map(([k, v]) =>
    [h('dt', {}, k), h('dd', {}, v === null || v === undefined || v === '' ? '—' : v)]));
}

/*
 * Keyset paging: `load(after)` resolves to {items, next_after}; the pager keeps the stack of
 * `after` values so 上一页 works too. `render(items)` draws one page. Returns {el, reload}.
 */
export function pager(load, render, onError) {
  const stack = [null];
  let next = null;
  const info = h('span', { class: 'c-page-n' });
  const prev = h('button', { type: 'button', class: 'c-btn', 'data-testid': 'page-prev', onclick: () => go(-1) }, t('prev_page'));
  const nextBtn = h('button', { type: 'button', class: 'c-btn', 'data-testid': 'page-next', onclick: () => go(1) }, t('next_page'));
  const el = h('nav', { class: 'c-pager', 'aria-label': t('page_n', { n: '' }).trim() }, prev, info, nextBtn);
  async function show() {
    prev.disabled = true;
    nextBtn.disabled = true;
    try {
      const res = await load(stack[stack.length - 1]);
      next = res.next_after ?? null;
      render(res.items || []);
    } catch (err) {
      onError(err);
      next = null;
    }
    info.textContent = t('page_n', { n: stack.length });
    prev.disabled = stack.length <= 1;
    nextBtn.disabled = next === null;
  }
  function go(dir) {
    if (dir > 0 && next !== null) stack.push(next);
    else if (dir < 0 && stack.length > 1) stack.pop();
    else return;
    show();
  }
  function reload() {
    stack.length = 1;
    return show();
  }
  return { el, reload, refresh: show };
}

/* Milliseconds since the epoch of 23:59:59.999 Beijing time on a YYYY-MM-DD date, or null. */
export function endOfBeijingDay(ymd) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd || '');
  if (!m) return null;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59, 999) - 8 * 3600 * 1000;
}

/* A button that disables itself while `fn` runs (so a double click sends one request). */
export function actionButton(text, testid, fn, cls = 'c-btn') {
  const b = h('button', { type: 'button', class: cls, 'data-testid': testid });
  b.textContent = text;
  b.addEventListener('click', async () => {
    b.disabled = true;
    try {
      await fn();
    } finally {
      b.disabled = false;
    }
  });
  return b;
}

/* The signed-in principal (set by app.js after /auth/me); sections read roles from it. */
export const session = { user: null };

/* True when the signed-in role is one of `roles`. */
export function hasRole(...roles) {
  return !!session.user && roles.includes(session.user.role);
}
