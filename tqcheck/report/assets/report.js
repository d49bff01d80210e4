(function(){
var pop=document.getElementById('pop'),opener=null;
function clear(){
  document.querySelectorAll('mark.active,tr.hit').forEach(function(n){n.classList.remove('active','hit')});
}
function close(){
  var inside=pop.contains(document.activeElement);
  pop.hidden=true;clear();
  if(opener&&inside)opener.focus();
}
function show(m,byKey){
  clear();opener=m;
  var boxes=m.dataset.f.split(' ').map(function(id){
    var row=document.getElementById(id);row.classList.add('hit');
    var box=document.createElement('div'),d=row.querySelector('.detail').cloneNode(true);
    box.append.apply(box,Array.prototype.slice.call(d.childNodes));return box;});
  pop.replaceChildren.apply(pop,boxes);
  m.dataset.f.split(' ').forEach(function(id){
    document.querySelectorAll('mark.f[data-f~="'+id+'"]').forEach(function(n){n.classList.add('active')});});
  var r=m.getBoundingClientRect();
  pop.style.left=(window.scrollX+Math.max(8,Math.min(r.left,innerWidth-520)))+'px';
  pop.style.top=(window.scrollY+r.bottom+6)+'px';pop.hidden=false;
  if(byKey)pop.focus();
}
function fromHash(){
  var m=location.hash&&document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if(m&&m.matches('mark[data-f]'))show(m);
}
document.addEventListener('click',function(e){
  var m=e.target.closest('mark.f[data-f]:not(.off)');
  if(m){show(m);return;}
  if(!e.target.closest('#pop'))close();
});
document.addEventListener('keydown',function(e){
  var m=e.target.closest&&e.target.closest('mark.f[data-f]');
  if(m&&(e.key==='Enter'||e.key===' ')){e.preventDefault();show(m,true);return;}
  if(e.key==='Escape'&&!pop.hidden){close();}
});
window.addEventListener('hashchange',fromHash);fromHash();
var form=document.getElementById('filter');
function values(name){
  return Array.prototype.map.call(form.querySelectorAll('input[name="'+name+'"]:checked'),function(i){return i.value});
}
function filter(){
  var sev=values('sev'),cat=values('cat'),rule=form.elements.rule.value,on={},shown=0,total=0;
  document.querySelectorAll('tr[data-rule]').forEach(function(tr){
    var ok=sev.indexOf(tr.dataset.sev)>=0&&cat.indexOf(tr.dataset.cat)>=0&&(!rule||tr.dataset.rule===rule);
    tr.hidden=!ok;on[tr.id]=ok;total++;if(ok)shown++;});
  document.querySelectorAll('mark[data-f]').forEach(function(m){
    var visible=m.dataset.f.split(' ').some(function(id){return on[id]});
    m.classList.toggle('off',!visible);
    if(m.classList.contains('f'))m.tabIndex=visible?0:-1;});
  form.querySelector('output').textContent=shown+' of '+total+' findings shown';
  if(!pop.hidden&&opener&&opener.classList.contains('off'))close();
}
if(form){form.addEventListener('change',filter);filter();}
document.querySelectorAll('table.sortable th').forEach(function(th,i){
  th.addEventListener('click',function(){
    var body=th.closest('table').tBodies[0],dir=th.dataset.dir==='asc'?'desc':'asc';
    th.parentNode.querySelectorAll('th').forEach(function(h){delete h.dataset.dir});th.dataset.dir=dir;
    var rows=Array.prototype.slice.call(body.rows).sort(function(a,b){
      var x=a.cells[i].dataset.v,y=b.cells[i].dataset.v,nx=parseFloat(x),ny=parseFloat(y);
      var c=(isNaN(nx)||isNaN(ny))?x.localeCompare(y):nx-ny;return dir==='asc'?c:-c;});
    rows.forEach(function(r){body.appendChild(r)});
  });
});
})();
