// party_common.js — what the pages of 两新党建 share: their strings (zh/en), the tab bar that
// links them, the domain's reference data (GET /api/v1/party/meta, cached), labels, money and
// SVG charts (drawn with dom.js, never from HTML strings).

import {h, s, replace} from '../dom.js';
import {t, pick, addMessages} from '../i18n.js';
import {get, qs, errorText} from '../api.js';
import {cached, hasRole} from '../session.js';
import {fmtNumber, fmtTime, card, loading, empty, notice} from '../ui.js';

addMessages({
  zh: {
    'nav.party': '两新党建',
    'party.title': '两新党建',
    'party.tab.dashboard': '概览',
    'party.tab.map': '版图',
    'party.tab.units': '两新组织',
    'party.tab.orgs': '党组织',
    'party.tab.board': '孵化',
    'party.tab.warnings': '预警',
    'party.tab.instructors': '指导员',
    'party.tab.services': '服务清单',
    'party.tab.meetings': '联席会',
    'party.tabs': '两新党建栏目',

    'party.dash.title': '两新党建概览',
    'party.dash.lead': '组织覆盖率、单独组建率按中办发〔2012〕11号口径,由登记的组织和党组织逐条统计。',
    'party.dash.area': '区域',
    'party.dash.as_of': '截至日期',
    'party.dash.as_of_hint': '选择过去的日期,按操作日志还原当日的数据',
    'party.dash.show': '查看',
    'party.dash.source_live': '当前数据',
    'party.dash.source_audit': '按操作日志还原至 {date} 日终',
    'party.dash.operating': '在营单位',
    'party.dash.covered': '已建党组织的单位',
    'party.dash.own': '单独组建',
    'party.dash.joint': '纳入联合党组织',
    'party.dash.coverage_rate': '组织覆盖率',
    'party.dash.own_rate': '单独组建率',
    'party.dash.established': '已成立党组织',
    'party.dash.preparing': '筹建中',
    'party.dash.incubating': '孵化中',
    'party.dash.this_year': '本年新建',
    'party.dash.needs_branch': '应单独建支部',
    'party.dash.no_members': '无党员单位',
    'party.dash.party_members': '党员(含预备)',
    'party.dash.by_community': '各社区覆盖情况',
    'party.dash.history': '近12个月组织覆盖率',
    'party.dash.stages': '发展党员各阶段人数',
    'party.dash.orgs_by_state': '党组织状态',
    'party.dash.uncovered': '未覆盖',
    'party.dash.definition': '口径',

    'party.coverage.own': '单独组建',
    'party.coverage.joint': '联合组建',
    'party.coverage.pending': '筹建/孵化中',
    'party.coverage.none': '未覆盖',

    'party.unit.name': '名称',
    'party.unit.credit_code': '统一社会信用代码',
    'party.unit.kind': '组织类型',
    'party.unit.category': '行业类别',
    'party.unit.area': '所属区域',
    'party.unit.address': '地址',
    'party.unit.lat': '纬度',
    'party.unit.lng': '经度',
    'party.unit.pick': '在地图上点选位置',
    'party.unit.employees': '从业人员',
    'party.unit.status': '经营状态',
    'party.unit.contact_name': '联系人',
    'party.unit.contact_phone': '联系电话',
    'party.unit.org': '党组织',
    'party.unit.coverage': '覆盖方式',
    'party.unit.members': '党员',
    'party.unit.members_n': '正式{f} · 预备{p} · 发展中{x}',
    'party.unit.new': '登记两新组织',
    'party.unit.edit': '修改两新组织',
    'party.unit.created': '已登记。',
    'party.unit.code_warning': '统一社会信用代码校验位不符,已按早期试点代码接受,请核实。',
    'party.unit.registrar': '登记管理机关',
    'party.unit.none': '没有符合条件的两新组织。',
    'party.unit.count': '共 {n} 个两新组织',
    'party.unit.stations': '蹲点指导员',
    'party.unit.visits': '走访与指导',
    'party.unit.demo_point': '{c}示范点',
    'party.unit.people': '在此工作的党员和入党积极分子',
    'party.unit.history': '变更记录',
    'party.filter.q': '关键词',
    'party.filter.q_ph': '名称、代码或地址',
    'party.filter.coverage': '覆盖情况',
    'party.filter.status': '状态',
    'party.export': '导出 Excel',
    'party.import': '导入',

    'party.import.title': '导入两新组织',
    'party.import.lead': '上传 Excel(.xlsx)或 CSV(UTF-8 或 GBK)。先逐行检查,全部无误才会一次性导入;任何一行有问题都不会写入。',
    'party.import.file': '文件',
    'party.import.template': '下载导入模板',
    'party.import.check': '检查',
    'party.import.run': '导入',
    'party.import.report': '检查结果:共 {rows} 行,{valid} 行无误,{invalid} 行有问题。',
    'party.import.ok': '全部 {rows} 行无误,可以导入。',
    'party.import.done': '已导入 {n} 个两新组织。',
    'party.import.refused': '有问题的行未修改前,不会导入任何数据。请修改文件后重新上传。',
    'party.import.row': '行',
    'party.import.column': '列',
    'party.import.value': '内容',
    'party.import.problem': '问题',
    'party.import.errors': '错误',
    'party.import.warnings': '提醒',
    'party.import.choose': '请选择文件',

    'party.org.name': '名称',
    'party.org.kind': '类别',
    'party.org.setting': '组建方式',
    'party.org.status': '状态',
    'party.org.established_on': '成立日期',
    'party.org.secretary': '书记',
    'party.org.committee': '支委会',
    'party.org.committee_hint': '每行一人:姓名 职务(如:王芳 组织委员)',
    'party.org.term': '任期',
    'party.org.term_start': '任期开始',
    'party.org.term_end': '任期届满',
    'party.org.term_due': '应换届',
    'party.org.village': '村/社区党组织(任期5年)',
    'party.org.parent': '上级党组织',
    'party.org.units': '覆盖单位',
    'party.org.units_hint': '单独组建选本单位;联合组建至少两个单位,一般不超过{n}个',
    'party.org.override': '超出规定的理由',
    'party.org.override_hint': '联合党支部覆盖单位超过{n}个时须填写',
    'party.org.members': '党员',
    'party.org.members_n': '{total}人(正式{formal},预备{probationary})',
    'party.org.new': '建立党组织',
    'party.org.created': '党组织已建立。',
    'party.org.none': '没有符合条件的党组织。',
    'party.org.count': '共 {n} 个党组织',
    'party.org.children': '下属党组织',
    'party.org.edit_units': '调整覆盖单位',
    'party.org.add_member': '登记党员/申请人',
    'party.org.member_list': '党员名册',
    'party.org.actions': '流转',
    'party.org.date': '日期',
    'party.org.reason': '原因',
    'party.org.done_action': '已{action}。',
    'party.org.stale': '该党组织已被他人修改,已刷新为最新内容,请再试一次。',
    'party.org.pick_units': '选择单位',
    'party.org.joint_override': '超限理由',

    'party.member.name': '姓名',
    'party.member.citizen_id': '身份证号码',
    'party.member.phone': '手机号码',
    'party.member.sex': '性别',
    'party.member.male': '男',
    'party.member.female': '女',
    'party.member.age': '年龄',
    'party.member.birth': '出生日期',
    'party.member.unit': '所在单位',
    'party.member.org': '所属党组织',
    'party.member.stage': '阶段',
    'party.member.dates': '各阶段日期',
    'party.member.next': '下一步',
    'party.member.next_earliest': '{stage},最早可于 {date}',
    'party.member.next_now': '{stage},现在即可',
    'party.member.introducers': '入党介绍人',
    'party.member.probation_end': '预备期满',
    'party.member.extension': '已延长预备期{n}个月',
    'party.member.dues': '党费',
    'party.member.dues_category': '党费类别',
    'party.member.income': '月收入(税后,元)',
    'party.member.monthly_dues': '每月党费',
    'party.member.advance': '转入下一阶段',
    'party.member.extend': '延长预备期',
    'party.member.transfer': '转接组织关系',
    'party.member.pay': '登记党费',
    'party.member.date': '日期',
    'party.member.to': '转入阶段',
    'party.member.months': '延长月数',
    'party.member.reason': '理由',
    'party.member.intro_pick': '选择两名正式党员作入党介绍人',
    'party.member.to_org': '转入本辖区党组织',
    'party.member.to_text': '或转往辖区外(接收组织名称)',
    'party.member.to_unit': '新所在单位',
    'party.member.note': '说明',
    'party.member.month': '月份',
    'party.member.paid': '实缴金额(元)',
    'party.member.paid_hint': '留空按应缴金额',
    'party.member.paid_on': '缴纳日期',
    'party.member.transfers': '组织关系转接记录',
    'party.member.dues_list': '党费缴纳记录',
    'party.member.new': '登记党员/入党申请人',
    'party.member.created': '已登记。',
    'party.member.transfer_in': '从辖区外转入(原组织名称)',
    'party.member.status_out': '已转出',
    'party.member.direction.in': '转入',
    'party.member.direction.out': '转出',
    'party.member.direction.internal': '辖区内转接',
    'party.member.none': '暂无党员。',
    'party.member.due': '应缴',
    'party.member.rule': '依据:{source}',
    'party.member.refused_earliest': '最早可于 {date} 办理。',
    'party.member.stale': '该记录已被他人修改,已刷新,请再试一次。',

    'party.board.title': '孵化台账',
    'party.board.lead': '未单独建立党组织的在营单位:现有正式党员与单独建支部所需{n}名的差距,孵化路径(内部培养、输入党员、招聘优先)和指导员。',
    'party.board.now': '现有正式党员',
    'party.board.needed': '需要',
    'party.board.path': '孵化路径',
    'party.board.instructor': '指导员',
    'party.board.next_step': '下一步',
    'party.board.target': '目标日期',
    'party.board.plan': '孵化计划',
    'party.board.no_plan': '未制定',
    'party.board.set_plan': '制定/更新计划',
    'party.board.note': '进展说明(记入历史)',
    'party.board.history': '孵化历史',
    'party.board.ready': '已具备单独建支部条件',
    'party.board.saved': '孵化计划已保存。',

    'party.warn.title': '预警',
    'party.warn.lead': '按党章、中国共产党支部工作条例(试行)等规定逐条检查,每条预警注明依据。',
    'party.warn.rule': '规则',
    'party.warn.source': '依据',
    'party.warn.object': '对象',
    'party.warn.detail': '情况',
    'party.warn.none': '没有预警。',
    'party.warn.all': '全部规则',
    'party.warn.entity.unit': '两新组织',
    'party.warn.entity.org': '党组织',
    'party.warn.entity.member': '党员',

    'party.map.title': '两新党建版图',
    'party.map.lead': '按登记的边界和坐标绘制(不依赖互联网地图);点按颜色表示党组织覆盖情况。',
    'party.map.category': '行业类别',
    'party.map.legend': '图例',
    'party.map.demo': '示范点',
    'party.map.without_pos': '另有{n}个单位未登记坐标',
    'party.map.shown': '图上 {n} 个单位',

    'party.ins.title': '党建指导员与示范点',
    'party.ins.stations': '蹲点',
    'party.ins.goal': '蹲点目标',
    'party.ins.since': '开始',
    'party.ins.until': '结束',
    'party.ins.visits_n': '走访{n}次',
    'party.ins.last_visit': '最近一次',
    'party.ins.new_station': '安排蹲点',
    'party.ins.end_station': '结束蹲点',
    'party.ins.instructor': '指导员',
    'party.ins.unit': '单位',
    'party.ins.points': '示范点(每个行业类别一个)',
    'party.ins.set_point': '确定示范点',
    'party.ins.chosen_on': '确定日期',
    'party.ins.visits': '走访与指导记录',
    'party.ins.log_visit': '记录走访/指导',
    'party.ins.kind.visit': '走访',
    'party.ins.kind.advice': '指导意见',
    'party.ins.summary': '情况',
    'party.ins.advice': '指导意见',
    'party.ins.outcome': '成效',
    'party.ins.kind': '类型',
    'party.ins.saved': '已保存。',

    'party.svc.title': '三向服务清单',
    'party.svc.lead': '街道提供的服务、企业提供的服务和群众的需求;由工作人员对接并跟踪到完成。',
    'party.svc.add': '新增清单项',
    'party.svc.list': '清单',
    'party.svc.title_f': '名称',
    'party.svc.description': '内容',
    'party.svc.provider': '提供方/提出方',
    'party.svc.unit': '提供服务的企业',
    'party.svc.contact': '联系方式',
    'party.svc.matches': '对接',
    'party.svc.match': '对接服务',
    'party.svc.need': '群众需求',
    'party.svc.offer': '服务资源',
    'party.svc.state': '状态',
    'party.svc.open': '待对接',
    'party.svc.beneficiaries': '受益人数',
    'party.svc.outcome': '成效',
    'party.svc.matched_on': '对接日期',
    'party.svc.done_on': '完成日期',
    'party.svc.saved': '已保存。',

    'party.meet.title': '两新组织党建联席会',
    'party.meet.new': '记录联席会',
    'party.meet.title_f': '会议名称',
    'party.meet.held_on': '日期',
    'party.meet.place': '地点',
    'party.meet.host': '主持人',
    'party.meet.attendees': '参会人员',
    'party.meet.attendees_hint': '每行一人:姓名 单位;未出席的在行首加“缺席”',
    'party.meet.decisions': '议定事项',
    'party.meet.decisions_hint': '每行一条',
    'party.meet.minutes': '纪要',
    'party.meet.attendance': '出席 {present}/{invited}',
    'party.meet.absent': '缺席',
    'party.meet.saved': '已保存。',
    'party.meet.none': '暂无联席会记录。',
    'party.info': '基本信息',
    'party.unit.members_fp': '正式/预备',
    'party.board.plan_btn': '更新计划',
    'party.org.members_children': '下属党组织党员{n}人',
    'party.stage.applicant': '入党申请人',
    'party.stage.activist': '入党积极分子',
    'party.stage.candidate': '发展对象',
    'party.stage.probationary': '预备党员',
    'party.stage.full': '正式党员',
    'party.yuan': '元',
    'party.action.create': '登记',
    'party.action.update': '修改',
    'party.action.prepare': '转入筹建',
    'party.action.establish': '批准成立',
    'party.action.dissolve': '撤销',
    'party.action.units': '调整覆盖单位',
    'party.action.advance': '转入下一阶段',
    'party.action.extend': '延长预备期',
    'party.action.transfer': '转接组织关系',
  },
  en: {
    'nav.party': 'Party building',
    'party.title': 'Party building in new organizations',
    'party.tab.dashboard': 'Overview',
    'party.tab.map': 'Map',
    'party.tab.units': 'Organizations',
    'party.tab.orgs': 'Party organizations',
    'party.tab.board': 'Incubation',
    'party.tab.warnings': 'Warnings',
    'party.tab.instructors': 'Instructors',
    'party.tab.services': 'Service lists',
    'party.tab.meetings': 'Joint meetings',
    'party.tabs': 'Party building sections',

    'party.dash.title': 'Overview',
    'party.dash.lead': 'Coverage and own-organization rate as defined by 中办发〔2012〕11号, counted from the registered units and organizations.',
    'party.dash.area': 'Area',
    'party.dash.as_of': 'As of',
    'party.dash.as_of_hint': 'Pick a past day: the figures are rebuilt from the audit log',
    'party.dash.show': 'Show',
    'party.dash.source_live': 'Current data',
    'party.dash.source_audit': 'Rebuilt from the audit log as of the end of {date}',
    'party.dash.operating': 'Operating units',
    'party.dash.covered': 'Units with an organization',
    'party.dash.own': 'Own organization',
    'party.dash.joint': 'In a joint one',
    'party.dash.coverage_rate': 'Coverage',
    'party.dash.own_rate': 'Own-organization rate',
    'party.dash.established': 'Established',
    'party.dash.preparing': 'In preparation',
    'party.dash.incubating': 'Incubating',
    'party.dash.this_year': 'Set up this year',
    'party.dash.needs_branch': 'Should set up a branch',
    'party.dash.no_members': 'Units without members',
    'party.dash.party_members': 'Party members',
    'party.dash.by_community': 'Coverage by community',
    'party.dash.history': 'Coverage over the last 12 months',
    'party.dash.stages': 'People by admission stage',
    'party.dash.orgs_by_state': 'Organizations by state',
    'party.dash.uncovered': 'Not covered',
    'party.dash.definition': 'Definition',

    'party.coverage.own': 'Own organization',
    'party.coverage.joint': 'Joint organization',
    'party.coverage.pending': 'In preparation / incubating',
    'party.coverage.none': 'Not covered',

    'party.unit.name': 'Name',
    'party.unit.credit_code': 'Unified social credit code',
    'party.unit.kind': 'Kind',
    'party.unit.category': 'Category',
    'party.unit.area': 'Area',
    'party.unit.address': 'Address',
    'party.unit.lat': 'Latitude',
    'party.unit.lng': 'Longitude',
    'party.unit.pick': 'Click the map to set the position',
    'party.unit.employees': 'Employees',
    'party.unit.status': 'Status',
    'party.unit.contact_name': 'Contact',
    'party.unit.contact_phone': 'Contact phone',
    'party.unit.org': 'Party organization',
    'party.unit.coverage': 'Coverage',
    'party.unit.members': 'Members',
    'party.unit.members_n': 'full {f} · probationary {p} · in pipeline {x}',
    'party.unit.new': 'Register an organization',
    'party.unit.edit': 'Edit organization',
    'party.unit.created': 'Registered.',
    'party.unit.code_warning': 'The check character of the credit code does not match: accepted as an early pilot code, please verify.',
    'party.unit.registrar': 'Registrar',
    'party.unit.none': 'No organizations match.',
    'party.unit.count': '{n} organizations',
    'party.unit.stations': 'Instructors stationed',
    'party.unit.visits': 'Visits and advice',
    'party.unit.demo_point': 'Demonstration point of {c}',
    'party.unit.people': 'Members and applicants working here',
    'party.unit.history': 'History',
    'party.filter.q': 'Search',
    'party.filter.q_ph': 'Name, code or address',
    'party.filter.coverage': 'Coverage',
    'party.filter.status': 'Status',
    'party.export': 'Export to Excel',
    'party.import': 'Import',

    'party.import.title': 'Import organizations',
    'party.import.lead': 'Upload an Excel (.xlsx) or CSV (UTF-8 or GBK) file. Every row is checked first; the rows are imported together only when all are valid — a single bad row writes nothing.',
    'party.import.file': 'File',
    'party.import.template': 'Download the template',
    'party.import.check': 'Check',
    'party.import.run': 'Import',
    'party.import.report': 'Checked {rows} rows: {valid} valid, {invalid} with problems.',
    'party.import.ok': 'All {rows} rows are valid and can be imported.',
    'party.import.done': '{n} organizations imported.',
    'party.import.refused': 'Nothing is imported until the bad rows are fixed. Correct the file and upload it again.',
    'party.import.row': 'Row',
    'party.import.column': 'Column',
    'party.import.value': 'Value',
    'party.import.problem': 'Problem',
    'party.import.errors': 'Errors',
    'party.import.warnings': 'Warnings',
    'party.import.choose': 'Choose a file',

    'party.org.name': 'Name',
    'party.org.kind': 'Kind',
    'party.org.setting': 'Setting',
    'party.org.status': 'State',
    'party.org.established_on': 'Established',
    'party.org.secretary': 'Secretary',
    'party.org.committee': 'Committee',
    'party.org.committee_hint': 'One person per line: name duty (e.g. 王芳 组织委员)',
    'party.org.term': 'Term',
    'party.org.term_start': 'Term starts',
    'party.org.term_end': 'Term ends',
    'party.org.term_due': 'Election due',
    'party.org.village': 'Village or community organization (5-year term)',
    'party.org.parent': 'Parent organization',
    'party.org.units': 'Units covered',
    'party.org.units_hint': 'Alone: its own unit; jointly: at least two units, generally no more than {n}',
    'party.org.override': 'Reason to exceed the rule',
    'party.org.override_hint': 'Required when a joint branch covers more than {n} units',
    'party.org.members': 'Members',
    'party.org.members_n': '{total} ({formal} full, {probationary} probationary)',
    'party.org.new': 'Set up a party organization',
    'party.org.created': 'The party organization was set up.',
    'party.org.none': 'No party organizations match.',
    'party.org.count': '{n} party organizations',
    'party.org.children': 'Sub-organizations',
    'party.org.edit_units': 'Change the units covered',
    'party.org.add_member': 'Register a member or applicant',
    'party.org.member_list': 'Members',
    'party.org.actions': 'Next step',
    'party.org.date': 'Date',
    'party.org.reason': 'Reason',
    'party.org.done_action': '{action}: done.',
    'party.org.stale': 'Someone else changed this organization; it has been reloaded, please try again.',
    'party.org.pick_units': 'Choose units',
    'party.org.joint_override': 'Reason for exceeding',

    'party.member.name': 'Name',
    'party.member.citizen_id': 'Citizen ID',
    'party.member.phone': 'Mobile',
    'party.member.sex': 'Sex',
    'party.member.male': 'male',
    'party.member.female': 'female',
    'party.member.age': 'Age',
    'party.member.birth': 'Born',
    'party.member.unit': 'Works at',
    'party.member.org': 'Party organization',
    'party.member.stage': 'Stage',
    'party.member.dates': 'Dates of the stages',
    'party.member.next': 'Next',
    'party.member.next_earliest': '{stage}, from {date}',
    'party.member.next_now': '{stage}, possible now',
    'party.member.introducers': 'Introducers',
    'party.member.probation_end': 'Probation ends',
    'party.member.extension': 'Probation extended by {n} months',
    'party.member.dues': 'Dues',
    'party.member.dues_category': 'Dues category',
    'party.member.income': 'Monthly income after tax (yuan)',
    'party.member.monthly_dues': 'Monthly dues',
    'party.member.advance': 'Advance a stage',
    'party.member.extend': 'Extend the probation',
    'party.member.transfer': 'Transfer',
    'party.member.pay': 'Record dues',
    'party.member.date': 'Date',
    'party.member.to': 'To the stage',
    'party.member.months': 'Months',
    'party.member.reason': 'Reason',
    'party.member.intro_pick': 'Choose two full members as introducers',
    'party.member.to_org': 'To a party organization here',
    'party.member.to_text': 'or out of the jurisdiction (receiving organization)',
    'party.member.to_unit': 'New workplace',
    'party.member.note': 'Note',
    'party.member.month': 'Month',
    'party.member.paid': 'Paid (yuan)',
    'party.member.paid_hint': 'Empty: the amount due',
    'party.member.paid_on': 'Paid on',
    'party.member.transfers': 'Transfers',
    'party.member.dues_list': 'Dues paid',
    'party.member.new': 'Register a member or applicant',
    'party.member.created': 'Registered.',
    'party.member.transfer_in': 'Transferred in from outside (organization)',
    'party.member.status_out': 'transferred out',
    'party.member.direction.in': 'in',
    'party.member.direction.out': 'out',
    'party.member.direction.internal': 'within',
    'party.member.none': 'No members yet.',
    'party.member.due': 'Due',
    'party.member.rule': 'Rule: {source}',
    'party.member.refused_earliest': 'Possible from {date}.',
    'party.member.stale': 'Someone else changed this record; it has been reloaded, please try again.',

    'party.board.title': 'Incubation board',
    'party.board.lead': 'Operating units without their own organization: full members now against the {n} needed for a branch, the path (develop inside, transfer in, hire first) and the instructor.',
    'party.board.now': 'Full members now',
    'party.board.needed': 'needed',
    'party.board.path': 'Path',
    'party.board.instructor': 'Instructor',
    'party.board.next_step': 'Next step',
    'party.board.target': 'Target date',
    'party.board.plan': 'Incubation plan',
    'party.board.no_plan': 'none',
    'party.board.set_plan': 'Set or update the plan',
    'party.board.note': 'Progress note (kept in the history)',
    'party.board.history': 'History of the plan',
    'party.board.ready': 'Ready for its own branch',
    'party.board.saved': 'The plan was saved.',

    'party.warn.title': 'Warnings',
    'party.warn.lead': 'Checked rule by rule against the Party Constitution and the branch work regulations; each warning names its source.',
    'party.warn.rule': 'Rule',
    'party.warn.source': 'Source',
    'party.warn.object': 'Record',
    'party.warn.detail': 'Details',
    'party.warn.none': 'No warnings.',
    'party.warn.all': 'All rules',
    'party.warn.entity.unit': 'organization',
    'party.warn.entity.org': 'party organization',
    'party.warn.entity.member': 'member',

    'party.map.title': 'Map of the sub-district',
    'party.map.lead': 'Drawn from the stored boundaries and positions (no internet map); colours show how each unit is covered.',
    'party.map.category': 'Category',
    'party.map.legend': 'Legend',
    'party.map.demo': 'Demonstration point',
    'party.map.without_pos': '{n} more units have no position',
    'party.map.shown': '{n} units on the map',

    'party.ins.title': 'Instructors and demonstration points',
    'party.ins.stations': 'Stations',
    'party.ins.goal': 'Goal',
    'party.ins.since': 'Since',
    'party.ins.until': 'Until',
    'party.ins.visits_n': '{n} visits',
    'party.ins.last_visit': 'last',
    'party.ins.new_station': 'Station an instructor',
    'party.ins.end_station': 'End the station',
    'party.ins.instructor': 'Instructor',
    'party.ins.unit': 'Unit',
    'party.ins.points': 'Demonstration points (one per category)',
    'party.ins.set_point': 'Choose a demonstration point',
    'party.ins.chosen_on': 'Chosen on',
    'party.ins.visits': 'Visits and advice',
    'party.ins.log_visit': 'Log a visit or advice',
    'party.ins.kind.visit': 'visit',
    'party.ins.kind.advice': 'advice',
    'party.ins.summary': 'What was found',
    'party.ins.advice': 'Advice',
    'party.ins.outcome': 'Outcome',
    'party.ins.kind': 'Kind',
    'party.ins.saved': 'Saved.',

    'party.svc.title': 'Three-way service lists',
    'party.svc.lead': 'Services offered by the office and by enterprises, and the needs of residents; staff match them and follow them to done.',
    'party.svc.add': 'Add an item',
    'party.svc.list': 'List',
    'party.svc.title_f': 'Title',
    'party.svc.description': 'Description',
    'party.svc.provider': 'Offered / raised by',
    'party.svc.unit': 'Enterprise offering it',
    'party.svc.contact': 'Contact',
    'party.svc.matches': 'Matches',
    'party.svc.match': 'Match',
    'party.svc.need': 'Need',
    'party.svc.offer': 'Offer',
    'party.svc.state': 'State',
    'party.svc.open': 'open',
    'party.svc.beneficiaries': 'People helped',
    'party.svc.outcome': 'Outcome',
    'party.svc.matched_on': 'Matched on',
    'party.svc.done_on': 'Done on',
    'party.svc.saved': 'Saved.',

    'party.meet.title': 'Joint meetings',
    'party.meet.new': 'Record a joint meeting',
    'party.meet.title_f': 'Meeting',
    'party.meet.held_on': 'Date',
    'party.meet.place': 'Place',
    'party.meet.host': 'Chaired by',
    'party.meet.attendees': 'Attendees',
    'party.meet.attendees_hint': 'One per line: name unit; start the line with 缺席 for an absentee',
    'party.meet.decisions': 'Decisions',
    'party.meet.decisions_hint': 'One per line',
    'party.meet.minutes': 'Minutes',
    'party.meet.attendance': 'present {present}/{invited}',
    'party.meet.absent': 'absent',
    'party.meet.saved': 'Saved.',
    'party.meet.none': 'No joint meetings recorded.',
    'party.info': 'Details',
    'party.unit.members_fp': 'Full/prob.',
    'party.board.plan_btn': 'Plan',
    'party.org.members_children': '{n} in its sub-organizations',
    'party.stage.applicant': 'Applicant',
    'party.stage.activist': 'Activist',
    'party.stage.candidate': 'Candidate',
    'party.stage.probationary': 'Probationary',
    'party.stage.full': 'Full member',
    'party.yuan': 'yuan',
    'party.action.create': 'registered',
    'party.action.update': 'changed',
    'party.action.prepare': 'preparation started',
    'party.action.establish': 'established',
    'party.action.dissolve': 'dissolved',
    'party.action.units': 'units changed',
    'party.action.advance': 'stage advanced',
    'party.action.extend': 'probation extended',
    'party.action.transfer': 'transferred',
  },
});

export const PARTY_ROLES = ['admin', 'leader', 'party_instructor'];
export const STAFF = ['admin', 'leader'];

export function isStaff() {
  return hasRole(...STAFF);
}

/** The domain's reference data, once per session. */
export function meta() {
  return cached('/api/v1/party/meta');
}

/** Fen as yuan: 1234 → "12.34". */
export function yuan(fen) {
  if (fen === null || fen === undefined) return '';
  const neg = fen < 0;
  const a = Math.abs(fen);
  return `${neg ? '-' : ''}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/** "12.3" (yuan) → 1230 fen; NaN when not a money amount. */
export function toFen(text) {
  const m = /^\s*(\d+)(?:\.(\d{1,2}))?\s*$/.exec(String(text));
  if (!m) return NaN;
  return Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0'));
}

const TABS = [
  ['dashboard', '/party'], ['map', '/party/map'], ['units', '/party/units'], ['orgs', '/party/orgs'],
  ['board', '/party/incubation'], ['warnings', '/party/warnings'], ['instructors', '/party/instructors'],
  ['services', '/party/services'], ['meetings', '/party/meetings'],
];

/** The tab bar of the party pages; `current` is a TABS key. */
export function tabs(current) {
  return h('nav', {class: 'party-tabs', 'aria-label': t('party.tabs')},
    TABS.map(([key, path]) => h('a', {
      href: '#' + path, class: ['party-tab', key === current && 'active'], 'aria-current': key === current ? 'page' : null,
    }, t('party.tab.' + key))));
}

/** A coverage badge for own / joint / pending / none. */
export function coverageBadge(cov) {
  return h('span', {class: ['badge', 'party-cov', 'party-cov-' + cov], 'data-coverage': cov}, t('party.coverage.' + cov));
}

/** A state badge for organizations and matches (object with status|state and *_zh / *_en). */
export function statusBadge(obj, key = 'status', states = null) {
  const st = states && states.find((x) => x.code === obj[key]);
  return h('span', {class: ['badge', 'party-st', 'party-st-' + obj[key]], 'data-state': obj[key]}, (st && pick(st)) || pick(obj, key) || obj[key]);
}

export function percent(v) {
  return v === null || v === undefined ? '—' : `${fmtNumber(v, 1)}%`;
}

/* ---- SVG charts (dom.js s(): no HTML strings) ---- */

/** A donut of parts [{value, cls, label}] with the text in the middle. */
export function donut(parts, centre, sub, label) {
  const total = parts.reduce((a, p) => a + p.value, 0) || 1;
  const r = 52, c = 2 * Math.PI * r;
  let off = 0;
  const arcs = parts.map((p) => {
    const len = (p.value / total) * c;
    const el = s('circle', {cx: 70, cy: 70, r, class: 'party-arc ' + p.cls, 'stroke-dasharray': `${len} ${c - len}`,
      'stroke-dashoffset': String(-off), transform: 'rotate(-90 70 70)'});
    el.append(s('title', {}, `${p.label}: ${p.value}`));
    off += len;
    return el;
  });
  return s('svg', {viewBox: '0 0 140 140', class: 'party-donut', role: 'img', 'aria-label': label},
    s('circle', {cx: 70, cy: 70, r, class: 'party-arc-bg'}), ...arcs,
    s('text', {x: 70, y: 68, class: 'party-donut-value', 'text-anchor': 'middle'}, centre),
    s('text', {x: 70, y: 88, class: 'party-donut-sub', 'text-anchor': 'middle'}, sub));
}

/** Horizontal stacked bars: rows [{label, parts: [{value, cls, label}]}]. */
export function stackedBars(rows, label) {
  const W = 560, rowH = 30, left = 150, maxV = Math.max(1, ...rows.map((r) => r.parts.reduce((a, p) => a + p.value, 0)));
  const H = rows.length * rowH + 10;
  const svg = s('svg', {viewBox: `0 0 ${W} ${H}`, class: 'party-bars', role: 'img', 'aria-label': label});
  rows.forEach((row, i) => {
    const y = i * rowH + 6;
    svg.append(s('text', {x: left - 8, y: y + 15, class: 'party-bar-label', 'text-anchor': 'end'}, row.label));
    let x = left;
    let sum = 0;
    for (const p of row.parts) {
      const w = ((W - left - 50) * p.value) / maxV;
      if (w > 0) {
        const rect = s('rect', {x, y, width: Math.max(w, 0.5), height: rowH - 10, class: 'party-bar ' + p.cls});
        rect.append(s('title', {}, `${row.label} · ${p.label}: ${p.value}`));
        svg.append(rect);
      }
      x += w;
      sum += p.value;
    }
    svg.append(s('text', {x: x + 6, y: y + 15, class: 'party-bar-value'}, String(sum)));
  });
  return svg;
}

/** A line chart of points [{label, value}] in %, 0–100. */
export function lineChart(points, label) {
  const W = 560, H = 200, L = 40, B = 28, T = 10, R = 26;
  const xs = (i) => L + (points.length > 1 ? ((W - L - R) * i) / (points.length - 1) : 0);
  const ys = (v) => T + (H - T - B) * (1 - (v || 0) / 100);
  const svg = s('svg', {viewBox: `0 0 ${W} ${H}`, class: 'party-line', role: 'img', 'aria-label': label});
  for (const v of [0, 25, 50, 75, 100]) {
    svg.append(s('line', {x1: L, x2: W - R, y1: ys(v), y2: ys(v), class: 'party-grid'}));
    svg.append(s('text', {x: L - 6, y: ys(v) + 4, class: 'party-axis', 'text-anchor': 'end'}, `${v}%`));
  }
  const pts = points.map((p, i) => `${xs(i).toFixed(1)},${ys(p.value).toFixed(1)}`).join(' ');
  svg.append(s('polyline', {points: pts, class: 'party-line-path'}));
  points.forEach((p, i) => {
    const dot = s('circle', {cx: xs(i), cy: ys(p.value), r: 3.5, class: 'party-line-dot'});
    dot.append(s('title', {}, `${p.label}: ${p.value === null ? '—' : p.value + '%'}`));
    svg.append(dot);
    if (i % Math.ceil(points.length / 6) === 0 || i === points.length - 1)
      svg.append(s('text', {x: xs(i), y: H - 8, class: 'party-axis', 'text-anchor': 'middle'}, p.label));
  });
  return svg;
}

/** Chart legend entries [{cls, label}]. */
export function legend(items) {
  return h('ul', {class: 'party-legend'}, items.map((i) => h('li', null, h('span', {class: 'party-swatch ' + i.cls, 'aria-hidden': 'true'}), i.label)));
}

/** The record's history from the audit log, newest first. */
export function historyCard(entity, id, title) {
  const box = h('div', null, loading());
  get('/api/v1/audit' + qs({entity, id, limit: 100}))
    .then((a) => replace(box, a.items.length ? h('ol', {class: 'timeline'}, a.items.map((e) => h('li', {class: 'tl-item', 'data-action': e.action},
      h('div', {class: 'tl-head'},
        h('span', {class: 'tl-action'}, t('party.action.' + e.action, null, e.action)),
        h('time', {class: 'tl-time', datetime: e.at}, fmtTime(e.at)),
        h('span', {class: 'tl-user'}, e.user_name || e.user)),
      e.reason ? h('div', {class: 'tl-reason'}, e.reason) : null))) : empty()))
    .catch((err) => replace(box, notice('error', errorText(err))));
  return card(title || t('party.unit.history'), box);
}
